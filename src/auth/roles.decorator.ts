// See src/access/roles.decorator.ts; this path stays so that existing imports keep working.
export * from '../access/roles.decorator';
