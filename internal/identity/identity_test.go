package identity

import "testing"

func TestStaffAreMembersOfTheMSPsDirectoryInItsGroupOrRole(t *testing.T) {
	msp := "11111111-1111-1111-1111-111111111111"
	guest, member := 1, 0
	cases := []struct {
		name   string
		staff  Staff
		claims Claims
		want   bool
	}{
		{"in the group", Staff{TenantID: msp, Group: "g"}, Claims{TenantID: msp, Groups: []string{"g"}}, true},
		{"with the role", Staff{TenantID: msp, Role: "r"}, Claims{TenantID: msp, Roles: []string{"r"}}, true},
		{"a member by acct", Staff{TenantID: msp, Group: "g"}, Claims{TenantID: msp, Groups: []string{"g"}, Acct: &member}, true},
		{"signed in by the directory itself", Staff{TenantID: msp, Group: "g"},
			Claims{TenantID: msp, Groups: []string{"g"}, IDP: "https://sts.windows.net/" + msp + "/"}, true},
		{"not in the group", Staff{TenantID: msp, Group: "g"}, Claims{TenantID: msp, Groups: []string{"other"}}, false},
		{"both set, only the group", Staff{TenantID: msp, Group: "g", Role: "r"}, Claims{TenantID: msp, Groups: []string{"g"}}, false},
		{"another directory", Staff{TenantID: msp, Group: "g"}, Claims{TenantID: "22222222-2222-2222-2222-222222222222", Groups: []string{"g"}}, false},
		{"a guest by acct", Staff{TenantID: msp, Group: "g"}, Claims{TenantID: msp, Groups: []string{"g"}, Acct: &guest}, false},
		{"a guest by idp", Staff{TenantID: msp, Group: "g"},
			Claims{TenantID: msp, Groups: []string{"g"}, IDP: "https://sts.windows.net/33333333-3333-3333-3333-333333333333/"}, false},
		{"a Microsoft account", Staff{TenantID: msp, Role: "r"}, Claims{TenantID: msp, Roles: []string{"r"}, IDP: "live.com"}, false},
		{"no group or role configured", Staff{TenantID: msp}, Claims{TenantID: msp}, false},
		{"no MSP directory configured", Staff{Group: "g"}, Claims{Groups: []string{"g"}}, false},
	}
	for _, c := range cases {
		if got := c.staff.Includes(c.claims); got != c.want {
			t.Errorf("%s: staff = %v, want %v", c.name, got, c.want)
		}
	}
}
