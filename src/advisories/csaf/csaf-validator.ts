import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { withCorrectedTests } from './mandatory-tests/corrected-tests';

/**
 * CSAF 2.0 validation with BSI's reference validator (@secvisogram/csaf-validator-lib): the strict
 * OASIS JSON schema plus all mandatory tests (6.1.x), i.e. the library's "basic" preset. The
 * library's verdict on the few tests it gets wrong is replaced by ours (mandatory-tests/corrected-tests.ts).
 *
 * The library is ESM-only and this project is CommonJS (and ts-jest cannot load ESM), so it runs in
 * one long-lived worker thread whose script is the plain ESM file csaf-validator.worker.mjs next to
 * this file. The TypeScript build does not copy .mjs files: the build must copy
 * src/advisories/csaf/csaf-validator.worker.mjs to dist/src/advisories/csaf/.
 *
 * - Requests carry an id; answers are matched through a map, so concurrent calls are fine.
 * - Each validation has a timeout (default 10 s). A timeout resolves to an invalid result (never a
 *   hang or a rejection) and the worker is terminated and recreated on the next call, because a
 *   stuck worker could not answer anything else either; requests still queued on it fail the same way.
 * - A crashed or missing worker also resolves to an invalid result with the reason as the message;
 *   validateCsaf never rejects.
 * - The worker is unref()'d whenever no validation is pending, so it never keeps the process alive;
 *   closeCsafValidator() terminates it (call it from tests' afterAll and on app shutdown).
 */

import type { CsafValidationError } from './csaf-validation-error';

export type { CsafValidationError };

export interface CsafValidationResult {
  valid: boolean;
  errors: CsafValidationError[];
}

export interface CsafValidatorOptions {
  /** Per-validation timeout; default 10 000 ms. */
  timeoutMs?: number;
  /**
   * Timeout of the validations a new worker has not answered any of yet: its cold start (loading
   * the library, compiling the schema) counts in them. Default 60 000 ms with the default
   * timeoutMs, else timeoutMs. On a busy host the cold start alone exceeded 10 s, and as a
   * timeout restarts the worker, no validation ever succeeded.
   */
  coldStartTimeoutMs?: number;
  /** Creates the worker; default runs csaf-validator.worker.mjs beside this file. For tests. */
  workerFactory?: () => Worker;
}

export const CSAF_VALIDATOR_WORKER_PATH = path.join(__dirname, 'csaf-validator.worker.mjs');
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_COLD_START_TIMEOUT_MS = 60_000;

interface Pending {
  resolve: (result: CsafValidationResult) => void;
  timer: NodeJS.Timeout;
  /** The document, for the tests whose verdict is ours (see withCorrectedTests). */
  doc: unknown;
}

interface WorkerAnswer {
  id?: unknown;
  valid?: unknown;
  errors?: unknown;
  failure?: unknown;
}

function failure(message: string): CsafValidationResult {
  return { valid: false, errors: [{ path: '', message }] };
}

export class CsafValidator {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly coldStartTimeoutMs: number;
  /** Whether the current worker has answered once (its cold start is over). */
  private warm = false;
  private readonly createWorker: () => Worker;

  constructor(options: CsafValidatorOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.coldStartTimeoutMs = options.coldStartTimeoutMs ?? (options.timeoutMs === undefined ? DEFAULT_COLD_START_TIMEOUT_MS : options.timeoutMs);
    this.createWorker = options.workerFactory ?? (() => new Worker(CSAF_VALIDATOR_WORKER_PATH));
  }

  validate(doc: unknown): Promise<CsafValidationResult> {
    return new Promise<CsafValidationResult>((resolve) => {
      let worker: Worker;
      try {
        worker = this.ensureWorker();
      } catch (err) {
        resolve(failure(`CSAF validator unavailable: ${messageOf(err)}`));
        return;
      }
      const id = this.nextId++;
      const timeoutMs = this.warm ? this.timeoutMs : this.coldStartTimeoutMs;
      const timer = setTimeout(() => {
        this.settle(id, failure(`CSAF validation timed out after ${timeoutMs} ms`));
        this.restart(`CSAF validation aborted: the validator was restarted after another validation timed out`);
      }, timeoutMs);
      this.pending.set(id, { resolve, timer, doc });
      worker.ref();
      try {
        worker.postMessage({ id, doc });
      } catch (err) {
        // e.g. DataCloneError for functions/symbols: not a JSON document.
        this.settle(id, failure(`not a JSON document: ${messageOf(err)}`));
      }
    });
  }

  /** Terminates the worker; pending validations resolve as failed. Safe to call repeatedly. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failAll('CSAF validator closed');
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    this.warm = false;
    worker.unref();
    worker.on('message', (answer: WorkerAnswer) => this.onAnswer(answer));
    worker.on('error', (err) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(`CSAF validator crashed: ${messageOf(err)}`);
      void worker.terminate();
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(`CSAF validator exited unexpectedly (code ${code})`);
    });
    this.worker = worker;
    return worker;
  }

  private onAnswer(answer: WorkerAnswer): void {
    this.warm = true;
    if (typeof answer?.id !== 'number') return;
    const pending = this.pending.get(answer.id);
    if (!pending) return;
    if (typeof answer.failure === 'string') {
      this.settle(answer.id, failure(`CSAF validation failed: ${answer.failure}`));
      return;
    }
    const errors: CsafValidationError[] = Array.isArray(answer.errors)
      ? answer.errors.map((e: { path?: unknown; message?: unknown; test?: unknown }) => ({
          path: typeof e?.path === 'string' ? e.path : '',
          message: typeof e?.message === 'string' ? e.message : 'invalid',
          ...(typeof e?.test === 'string' ? { test: e.test } : {}),
        }))
      : [];
    if (answer.valid !== true && errors.length === 0) errors.push({ path: '', message: 'invalid (the validator gave no reason)' });
    const corrected = withCorrectedTests(pending.doc, errors);
    this.settle(answer.id, { valid: corrected.length === 0, errors: corrected });
  }

  private settle(id: number, result: CsafValidationResult): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.worker?.unref();
    p.resolve(result);
  }

  private restart(reason: string): void {
    const worker = this.worker;
    this.worker = null;
    this.failAll(reason);
    if (worker) void worker.terminate();
  }

  private failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, failure(reason));
  }
}

function messageOf(err: unknown): string {
  // Not `instanceof Error`: errors from a worker (or another realm, as under jest) fail that check.
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(err);
}

let shared: CsafValidator | null = null;

/** Validates with the process-wide validator (created on first use). Never rejects. */
export function validateCsaf(doc: unknown): Promise<CsafValidationResult> {
  shared ??= new CsafValidator();
  return shared.validate(doc);
}

/** Terminates the process-wide validator's worker; a later validateCsaf starts a new one. */
export async function closeCsafValidator(): Promise<void> {
  const validator = shared;
  shared = null;
  if (validator) await validator.close();
}
