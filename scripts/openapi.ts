/**
 * Writes the service's OpenAPI document to docs/openapi.json (`npm run openapi`), or with
 * `--check` compares it with the committed file and fails when they differ (CI). No database or
 * broker is needed: the document is read from the controllers and DTOs alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../bench/lib/paths';
import { generateOpenApiDocument } from '../src/openapi/generate-openapi';
import { OPENAPI_FILE, serializeOpenApi } from '../src/openapi/openapi-file';

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const file = join(ROOT, OPENAPI_FILE);
  const generated = serializeOpenApi(await generateOpenApiDocument());
  if (!check) {
    writeFileSync(file, generated);
    console.log(`openapi: wrote ${OPENAPI_FILE}`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // Missing: reported below as out of date.
  }
  if (committed === generated) {
    console.log(`openapi: ${OPENAPI_FILE} is up to date`);
    return;
  }
  console.error(
    `openapi: ${OPENAPI_FILE} differs from the document the code generates (first difference at line ${firstDifferentLine(committed, generated)}).`,
  );
  console.error('openapi: run `npm run openapi` and commit docs/openapi.json.');
  process.exitCode = 1;
}

function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  const index = left.findIndex((line, i) => line !== right[i]);
  return (index === -1 ? left.length : index) + 1;
}

main().catch((e) => {
  console.error(`openapi: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
