"""Pure rules of identity: password policy, lockout, who may manage whom, the audit chain, PKCE."""
