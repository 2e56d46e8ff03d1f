import 'reflect-metadata';
import { DataSource, Logger } from 'typeorm';
import { SnakeNamingStrategy } from '../../src/database/snake-naming.strategy';
import { DevicesRepository } from '../../src/inventory/devices.repository';
import { DeviceQueryDto } from '../../src/inventory/dto/device-query.dto';
import { DeviceEntity } from '../../src/inventory/entities/device.entity';
import { withClient } from './seed';

/** Records the statements TypeORM sends, with their parameters. */
class CapturingLogger implements Logger {
  readonly queries: Array<{ sql: string; params: unknown[] }> = [];

  logQuery(query: string, parameters?: unknown[]): void {
    this.queries.push({ sql: query, params: parameters ?? [] });
  }

  // Nothing else is printed: the bench only wants the statements.
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/**
 * The exact SQL the service runs for a device listing: the service's own DevicesRepository
 * (src/inventory/devices.repository.ts) builds it on a private TypeORM connection, and the
 * statement is captured rather than re-typed, so the plan shown is the plan the API gets.
 */
export class DeviceListSql {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly logger: CapturingLogger,
  ) {}

  static async open(url: string): Promise<DeviceListSql> {
    const logger = new CapturingLogger();
    const dataSource = await new DataSource({
      type: 'postgres',
      url,
      entities: [DeviceEntity],
      namingStrategy: new SnakeNamingStrategy(),
      synchronize: false,
      migrationsRun: false,
      poolSize: 1,
      logging: ['query'],
      logger,
    }).initialize();
    return new DeviceListSql(dataSource, logger);
  }

  async sqlFor(query: Partial<DeviceQueryDto>): Promise<{ sql: string; params: unknown[] }> {
    const before = this.logger.queries.length;
    await new DevicesRepository(this.dataSource.getRepository(DeviceEntity)).page(query as DeviceQueryDto);
    const sent = this.logger.queries.slice(before).filter((q) => /FROM "devices"/i.test(q.sql));
    if (sent.length !== 1) throw new Error(`expected one devices statement, captured ${sent.length}`);
    return sent[0];
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

export interface PlanSummary {
  /** Plan nodes, outermost first: "Limit > Index Scan using devices_created_id on devices". */
  nodes: string;
  executionMs: number;
  planningMs: number;
  sharedHit: number;
  sharedRead: number;
  /** True when any node is a sequential scan of the devices table. */
  seqScanOnDevices: boolean;
  text: string[];
}

/** EXPLAIN (ANALYZE, BUFFERS) of one statement, summed up in a line. */
export async function explain(url: string, sql: string, params: unknown[]): Promise<PlanSummary> {
  return withClient(url, async (client) => {
    const json = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }> }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
      params,
    );
    const text = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    const root = json.rows[0]['QUERY PLAN'][0];
    const names: string[] = [];
    let seq = false;
    const walk = (n: PlanNode, depth: number): void => {
      const on = n['Index Name'] ? ` using ${n['Index Name']}` : '';
      const rel = n['Relation Name'] ? ` on ${n['Relation Name']}` : '';
      names.push(`${'  '.repeat(depth)}${n['Node Type']}${on}${rel}`.trim());
      if (n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'devices') seq = true;
      for (const child of n.Plans ?? []) walk(child, depth + 1);
    };
    walk(root.Plan, 0);
    return {
      nodes: names.join(' > '),
      executionMs: root['Execution Time'],
      planningMs: root['Planning Time'],
      sharedHit: root.Plan['Shared Hit Blocks'] ?? 0,
      sharedRead: root.Plan['Shared Read Blocks'] ?? 0,
      seqScanOnDevices: seq,
      text: text.rows.map((r) => r['QUERY PLAN']),
    };
  });
}
