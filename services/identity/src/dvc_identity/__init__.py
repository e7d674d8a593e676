"""Identity: agencies, officer accounts and roles, access tokens, citizen login with VNeID."""
