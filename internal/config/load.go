package config

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// EnvVar names the environment variable that points at the config file when --config is not given.
const EnvVar = "SCOREFLOW_CONFIG"

// secretKeys are the keys whose values must come from the environment, never
// from the file itself, so a config file can be committed and shared safely.
var secretKeys = map[string]bool{
	"api_key": true, "api_token": true, "personal_access_token": true, "webhook_secret": true,
	"bot_token": true, "signing_secret": true, "client_secret": true,
}

var (
	envReference      = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
	wholeEnvReference = regexp.MustCompile(`^\$\{[A-Za-z_][A-Za-z0-9_]*\}$`)
)

// Load reads, expands, decodes, defaults and validates the file at path:
// the worker's config, every secret it names read from the environment.
func Load(path string) (*Config, error) {
	return load(path, expander{lookup: os.LookupEnv})
}

// LoadForOperator loads the config as Load does, but a secret whose
// environment variable is not set is left unavailable instead of refused:
// the starter needs no secret to reach Temporal, and a command that
// does need one says which variable to set (Secret.Available).
func LoadForOperator(path string) (*Config, error) {
	return load(path, expander{lookup: os.LookupEnv, withoutSecrets: true})
}

func load(path string, e expander) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := e.parse(raw)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// Parse turns YAML into a valid Config, reading ${VAR} through lookup.
func Parse(raw []byte, lookup func(string) (string, bool)) (*Config, error) {
	return expander{lookup: lookup}.parse(raw)
}

// expander replaces ${VAR} references with the environment's values.
type expander struct {
	lookup func(string) (string, bool)
	// withoutSecrets leaves a secret whose variable is not set unavailable.
	withoutSecrets bool
}

func (e expander) parse(raw []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("the file is empty")
	}
	if err := e.expand(doc.Content[0], "", false); err != nil {
		return nil, err
	}
	// Re-encode the expanded tree so the strict decoder can refuse unknown keys:
	// yaml.v3 checks KnownFields only when decoding from a stream.
	expanded, err := yaml.Marshal(doc.Content[0])
	if err != nil {
		return nil, err
	}
	decoder := yaml.NewDecoder(bytes.NewReader(expanded))
	decoder.KnownFields(true)
	var cfg Config
	if err := decoder.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n  "))
	}
	cfg.applyDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// expand walks the document, replacing ${VAR} in every scalar, and enforces
// that secret keys hold nothing but a single ${VAR} reference.
func (e expander) expand(node *yaml.Node, path string, secret bool) error {
	switch node.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			key, value := node.Content[i].Value, node.Content[i+1]
			child := joinPath(path, key)
			if secretKeys[key] && value.Value != "" && !wholeEnvReference.MatchString(value.Value) {
				return fmt.Errorf("%s: secrets are read from the environment only: write ${VARIABLE}", child)
			}
			if key == "dsn" && hasPassword(value.Value) {
				return fmt.Errorf("%s: the password of a database URL is read from the environment only: write ${VARIABLE} for the URL or its password", child)
			}
			if err := e.expand(value, child, secretKeys[key]); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		for i, item := range node.Content {
			if err := e.expand(item, fmt.Sprintf("%s[%d]", path, i), false); err != nil {
				return err
			}
		}
	case yaml.ScalarNode:
		var missing []string
		original := node.Value
		node.Value = envReference.ReplaceAllStringFunc(node.Value, func(ref string) string {
			name := envReference.FindStringSubmatch(ref)[1]
			value, ok := e.lookup(name)
			if !ok {
				missing = append(missing, name)
			}
			return value
		})
		if len(missing) == 1 && secret && e.withoutSecrets {
			node.Value, node.Tag, node.Style = missing[0], unavailableTag, 0
			return nil
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s: environment variable %s is not set", path, strings.Join(missing, ", "))
		}
		if node.Value != original {
			// Resolve the expanded value as if it had been written there, so
			// "port: ${PORT}" is a number and a token with a colon stays text.
			// The YAML emitter quotes the value on re-encoding where plain text would not parse.
			node.Tag = ""
			node.Style = 0
		}
	}
	return nil
}

// hasPassword reports whether a URL, as written in the file, carries a
// password itself rather than from the environment.
func hasPassword(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return false
	}
	password, set := u.User.Password()
	return set && !wholeEnvReference.MatchString(password)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
