// Roles and principals are the access vocabulary every module shares (src/access), below auth
// and audit alike; this path stays so that existing imports keep working.
export * from '../access/role';
