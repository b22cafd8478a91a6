// Package auth authenticates the shop's staff (agents, supervisors,
// knowledge managers, admins) per tenant, by API key or by login session,
// and manages tenants, users and keys. Customers authenticate with the
// token of their own conversation, checked by the conversation package.
//
// Secrets are random 256-bit tokens shown once; only their SHA-256 is
// stored. Passwords are stored as bcrypt hashes.
package auth
