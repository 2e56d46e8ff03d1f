/**
 * PostgreSQL settings the embedded PGlite starts with, on top of PGlite's own start parameters
 * (PGlite.defaultStartParams). PGlite's build defaults to shared_buffers = 160 MB, and its
 * WebAssembly memory touches all of it at start: about 120 MB of resident memory for a cache that
 * a clinic's inventory (thousands of devices, a few MB of tables) never fills. Measured with
 * PGlite 0.5.14 on a warm data folder: 294 MB resident after PGlite.create with the defaults,
 * 171 MB with these (docs/scale.md, "Embedded default").
 */
export const EMBEDDED_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
  // Sized from shared_buffers by default (1/32): say so, so that a later change of one is seen.
  wal_buffers: '512kB',
  // Migrations build indexes; 64 MB (the default) would be taken in one piece of the heap.
  maintenance_work_mem: '16MB',
};

/** `-c name=value` pairs for PGlite's `startParams`. */
export function settingsAsStartParams(settings: Readonly<Record<string, string>> = EMBEDDED_POSTGRES_SETTINGS): string[] {
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}
