package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Secret is a credential read from the environment. It prints, logs and
// marshals as "[redacted]" so it cannot leak through a log line, a workflow
// input or an error; Reveal is the one way to read it.
type Secret struct {
	value string
	// unavailable names the environment variable that was not set when the
	// config was loaded without secrets (LoadForOperator).
	unavailable string
}

// unavailableTag marks, between expansion and decoding, a secret whose
// variable the environment lacks; its value is then the variable's name.
const unavailableTag = "!scoreflow-unavailable-secret"

const redacted = "[redacted]"

// NewSecret wraps a value that did not come from a config file.
func NewSecret(value string) Secret { return Secret{value: value} }

// Reveal returns the secret's value, for the client that sends it.
func (s Secret) Reveal() string { return s.value }

// IsSet reports whether the config names a value, available or not.
func (s Secret) IsSet() bool { return s.value != "" || s.unavailable != "" }

// Available reports, for a secret the config names, whether this process has
// its value: a config loaded without secrets lacks those the environment does not hold.
func (s Secret) Available() error {
	if s.unavailable != "" {
		return fmt.Errorf("the environment variable %s is not set", s.unavailable)
	}
	return nil
}

func (s *Secret) UnmarshalYAML(node *yaml.Node) error {
	switch node.Tag {
	case unavailableTag:
		*s = Secret{unavailable: node.Value}
	case "!!null":
		*s = Secret{}
	default:
		*s = Secret{value: node.Value}
	}
	return nil
}

func (s Secret) String() string               { return redacted }
func (s Secret) GoString() string             { return redacted }
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
func (s Secret) MarshalYAML() (any, error)    { return redacted, nil }

// DSN is a database's address, whose password, read from the environment,
// prints as "[redacted]" like a Secret's; Reveal is the one way to read it whole.
type DSN string

// Reveal returns the address with its password, for the database driver.
func (d DSN) Reveal() string { return string(d) }

func (d DSN) String() string {
	u, err := url.Parse(string(d))
	if err != nil || u.User == nil {
		return string(d)
	}
	if _, set := u.User.Password(); set {
		u.User = url.UserPassword(u.User.Username(), redacted)
	}
	return u.String()
}
func (d DSN) GoString() string             { return d.String() }
func (d DSN) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
func (d DSN) MarshalYAML() (any, error)    { return d.String(), nil }

// Duration is a time.Duration written as "36h", "30m" or with a day suffix, "180d".
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d *Duration) UnmarshalYAML(node *yaml.Node) error {
	parsed, err := ParseDuration(node.Value)
	if err != nil {
		return err
	}
	*d = Duration(parsed)
	return nil
}

func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// ParseDuration reads a Go duration, or a whole number of days such as "90d",
// the unit operators use for review periods and audit windows.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err != nil || n < 0 || fmt.Sprint(n) != days {
			return 0, fmt.Errorf("invalid duration %q: want a whole number of days such as 90d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: want for example 30m, 24h or 180d", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: must not be negative", s)
	}
	return d, nil
}
