package sim

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// IDTokenClaims are the claims of an ID token as Entra's v2.0 endpoint
// issues them.
type IDTokenClaims struct {
	Issuer            string           `json:"iss"`
	Subject           string           `json:"sub"`
	Audience          jwt.Audience     `json:"aud"`
	Expiry            *jwt.NumericDate `json:"exp"`
	IssuedAt          *jwt.NumericDate `json:"iat"`
	NotBefore         *jwt.NumericDate `json:"nbf"`
	Nonce             string           `json:"nonce,omitempty"`
	TenantID          string           `json:"tid"`
	ObjectID          string           `json:"oid"`
	Name              string           `json:"name,omitempty"`
	PreferredUsername string           `json:"preferred_username,omitempty"`
	Groups            []string         `json:"groups,omitempty"`
	Roles             []string         `json:"roles,omitempty"`
	// Acct (an optional claim the app asks for) is 1 for a guest of the
	// directory, 0 for a member; IDP names a guest's home directory.
	Acct    *int   `json:"acct,omitempty"`
	IDP     string `json:"idp,omitempty"`
	Version string `json:"ver"`
}

// idToken issues the ID token of a redeemed code, altered or forged if a
// test asked for it.
func (s *Server) idToken(g grant) (string, error) {
	now := s.now()
	claims := IDTokenClaims{
		Issuer: s.Issuer(g.user.TenantID), Subject: g.user.ObjectID + "-" + g.clientID, Audience: jwt.Audience{g.clientID},
		Expiry: jwt.NewNumericDate(now.Add(time.Hour)), IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
		Nonce: g.nonce, TenantID: g.user.TenantID, ObjectID: g.user.ObjectID, Name: g.user.Name,
		PreferredUsername: g.user.Username, Groups: g.user.Groups, Roles: g.user.Roles, Version: "2.0",
	}
	account := 0
	if g.user.HomeTenantID != "" {
		account, claims.IDP = 1, "https://sts.windows.net/"+g.user.HomeTenantID+"/"
	}
	claims.Acct = &account
	key := s.key
	s.mu.Lock()
	if len(s.alter) > 0 {
		s.alter[0](&claims)
		s.alter = s.alter[1:]
	}
	if s.forge > 0 {
		s.forge--
		forger, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			s.mu.Unlock()
			return "", err
		}
		key = forger
	}
	s.mu.Unlock()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: s.keyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("signing an ID token: %w", err)
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}

// IssueIDToken issues an ID token to an app for a user, as the code flow
// would end, for tests of a service that receives tokens from elsewhere
// (the Web UI's calls to a codec endpoint).
func (s *Server) IssueIDToken(clientID string, user User) (string, error) {
	return s.idToken(grant{user: user, clientID: clientID})
}
