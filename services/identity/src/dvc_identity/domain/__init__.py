"""Pure rules of identity: password policy, lockout, who may manage whom, VNeID accounts, PKCE."""
