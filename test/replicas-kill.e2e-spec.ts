import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, connectAsync, IClientOptions, MqttClient } from 'mqtt';
import { Client } from 'pg';
import { seedModel } from './factories/inventory.factory';
import { metricValue } from './support/metrics';
import { eventually, publishHeartbeat } from './support/mqtt-device';
import { PrivateMosquitto, startPrivateMosquitto } from './support/private-mosquitto';
import { buildService, restartableServiceEnv, ServiceProcess } from './support/service-process';
import { createTestDatabase, dropTestDatabase, usingRealServices } from './support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GROUP = 'iomt';
const TOPIC_FILTER = 'iomt/v1/devices/+/heartbeat';

/** A member of the group as the service's client is: persistent session (clean=false), MQTT 3.1.1. */
const memberOptions = (clientId: string): IClientOptions => ({ clientId, clean: false, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 });

/**
 * Three replicas on one Mosquitto shared subscription ($share/<group>/...), one SIGKILLed while
 * heartbeats pour in. Both tests start their own Mosquitto (the machine's binary, production
 * limits), so the first runs on either database and the second wherever the replicas can share
 * one database, i.e. on PostgreSQL: the embedded PGlite lives inside one service process.
 */
describe('replicas on a shared subscription, one killed with SIGKILL mid-load', () => {
  let broker: PrivateMosquitto;

  beforeAll(async () => {
    broker = await startPrivateMosquitto();
  });

  afterAll(async () => {
    await broker?.close();
  });

  it("Mosquitto keeps a killed member's un-acknowledged messages, and its share of later ones, for its session, and hands them to the same client id when it returns", async () => {
    const tag = randomUUID().slice(0, 8);
    const topic = (n: number) => `iomt/v1/devices/${tag}-${n}/heartbeat`;
    const got = { a: [] as number[], b: [] as number[], dead: [] as number[], back: [] as number[], backDup: [] as number[] };
    const filter = `$share/${GROUP}-${tag}/${TOPIC_FILTER}`;
    const member = async (id: string, into: number[], dup?: number[]) => {
      // The handler is in place before CONNACK: a returning session's queue arrives right behind it.
      const c = connect(broker.url, memberOptions(`${id}-${tag}`));
      c.on('message', (_t, payload, packet) => {
        into.push(Number(payload.toString()));
        if (packet.dup) dup?.push(Number(payload.toString()));
      });
      await new Promise<void>((ok, fail) => {
        c.once('connect', () => ok());
        c.once('error', fail);
      });
      return c;
    };
    const a = await member('a', got.a);
    const b = await member('b', got.b);
    const dead = await member('dead', got.dead);
    // The member to be killed reads everything and acknowledges nothing: a replica whose batch has not committed.
    const patchable = dead as unknown as { _sendPacket: (p: { cmd: string }, cb?: () => void) => void };
    const send = patchable._sendPacket.bind(dead);
    patchable._sendPacket = (p, cb) => (p.cmd === 'puback' ? cb?.() : send(p, cb));
    for (const c of [a, b, dead]) await c.subscribeAsync(filter, { qos: 1 });
    const publisher = await connectAsync(broker.url, { clientId: `pub-${tag}`, reconnectPeriod: 0 });
    const publish = async (from: number, to: number) => {
      for (let n = from; n < to; n++) await publisher.publishAsync(topic(n), String(n), { qos: 1 });
    };
    try {
      await publish(0, 300);
      await eventually(async () => expect(got.a.length + got.b.length + got.dead.length).toBe(300), 5000);
      const unackedAtKill = [...got.dead];
      // SIGKILL as the broker sees it: the TCP connection ends with no DISCONNECT.
      dead.stream.destroy();
      dead.end(true);
      await sleep(200);
      await publish(300, 600);
      // Until the survivors take nothing more: whatever they have not got by then waits elsewhere.
      let seen = -1;
      await eventually(
        async () => {
          const now = got.a.length + got.b.length;
          const stable = now === seen;
          seen = now;
          if (!stable) throw new Error('survivors still receiving');
        },
        10_000,
        500,
      );
      const survivorsAfterKill = [...got.a, ...got.b].filter((n) => n >= 300);
      const heldForDead = 300 - survivorsAfterKill.length;

      const back = await member('dead', got.back, got.backDup);
      await eventually(async () => expect(new Set([...got.a, ...got.b, ...got.back]).size).toBe(600), 5000);
      await back.endAsync();

      // Nothing lost, nothing twice: every message went to a survivor or came back to the returning member.
      expect([...got.a, ...got.b, ...got.back].sort((x, y) => x - y)).toEqual(Array.from({ length: 600 }, (_, i) => i));
      // Mosquitto 2.0: none of the dead member's un-acknowledged messages went to a survivor ...
      expect([...got.a, ...got.b].filter((n) => unackedAtKill.includes(n))).toEqual([]);
      // ... they came back to its client id, flagged as redeliveries ...
      expect([...got.backDup].sort((x, y) => x - y)).toEqual([...unackedAtKill].sort((x, y) => x - y));
      // ... together with its share of what was published while it was gone.
      expect(heldForDead).toBeGreaterThan(0);
      expect(got.back.filter((n) => n >= 300)).toHaveLength(heldForDead);
      process.stdout.write(
        `shared-subscription kill (mosquitto, 3 members): ${unackedAtKill.length} of 300 un-acknowledged at the dead member; of the 300 published after the kill ` +
          `${survivorsAfterKill.length} went to the survivors and ${heldForDead} were queued for the dead session; the same client id got ${got.back.length} on return ` +
          `(${got.backDup.length} flagged dup)\n`,
      );
    } finally {
      await Promise.all([a, b, publisher].map((c) => c.endAsync().catch(() => undefined)));
    }
  }, 30_000);

  if (usingRealServices.database) {
    describe('three service processes on one PostgreSQL database', () => {
      // One heartbeat per device, each with its own firmware: a device's firmware says exactly whether its heartbeat was applied.
      const DEVICES = 3_000;
      const PUBLISHERS = 6;
      const CHUNK = 10;
      const PAUSE_MS = 100;
      const INITIAL = '1.0.0';
      const firmwareOf = (i: number) => `2.${Math.floor(i / 1000)}.${i % 1000}`;
      const tag = randomUUID().slice(0, 8);
      const adminKey = `replicas_kill_admin_${randomBytes(16).toString('hex')}`;
      const names = ['a', 'b', 'c'] as const;
      const dirs = names.map(() => mkdtempSync(join(tmpdir(), 'iomt-replicas-kill-')));
      const envs: Array<Record<string, string>> = [];
      const replicas: ServiceProcess[] = [];
      const publishers: MqttClient[] = [];
      let databaseUrl: string;
      let modelId: string;
      let devices: string[];

      beforeAll(async () => {
        await buildService();
        databaseUrl = (await createTestDatabase())!;
        for (const [i, name] of names.entries()) {
          const clientId = `iomt-replica-${name}-${tag}`;
          envs.push({
            ...(await restartableServiceEnv({ dataDir: dirs[i], databaseUrl, brokerUrl: broker.url, clientId, adminKey })),
            MQTT_SHARED_GROUP: `${GROUP}-${tag}`,
          });
        }
        // The first alone: it runs the migrations and creates the bootstrap key the others then find.
        replicas.push(await ServiceProcess.start(envs[0], 90_000));
        replicas.push(...(await Promise.all([ServiceProcess.start(envs[1], 90_000), ServiceProcess.start(envs[2], 90_000)])));
        const api = replicas[0].api(adminKey);
        ({ modelId } = await seedModel({ api: () => api }));
        const rows = Array.from({ length: DEVICES }, (_, i) => `${modelId},REPL-${tag}-${i},${INITIAL}`);
        const imported = await api
          .post('/api/v1/devices/import')
          .set('Content-Type', 'text/csv')
          .send(`modelId,serialNumber,firmwareVersion\n${rows.join('\n')}\n`)
          .expect(201);
        devices = imported.body.ids;
      }, 300_000);

      afterAll(async () => {
        await Promise.all(replicas.map((r) => r.stop()));
        await Promise.all(publishers.map((p) => p.endAsync().catch(() => undefined)));
        await dropTestDatabase(databaseUrl);
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      });

      const counters = async (r: ServiceProcess) => {
        const text = (await r.api(adminKey).get('/metrics').expect(200)).text;
        return {
          received: metricValue(text, 'iomt_heartbeats_received_total'),
          committed: metricValue(text, 'iomt_heartbeats_committed_total'),
          pending: metricValue(text, 'iomt_ingest_pending_messages'),
        };
      };

      async function appliedInDatabase(): Promise<Map<string, { firmware: string; seen: boolean }>> {
        const client = new Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          const { rows } = await client.query<{ id: string; firmware_version: string; seen: boolean }>(
            `SELECT d.id, d.firmware_version, p.last_seen_at IS NOT NULL AS seen
               FROM devices d JOIN device_presence p ON p.device_id = d.id
              WHERE d.model_id = $1 AND d.firmware_version IS DISTINCT FROM $2`,
            [modelId, INITIAL],
          );
          return new Map(rows.map((r) => [r.id, { firmware: r.firmware_version, seen: r.seen }]));
        } finally {
          await client.end();
        }
      }

      it('applies every heartbeat the broker acknowledged: the survivors carry the load after the kill, the restarted replica drains its session', async () => {
        expect(devices).toHaveLength(DEVICES);
        for (let p = 0; p < PUBLISHERS; p++) publishers.push(await connectAsync(broker.url, { clientId: `iomt-replicas-pub-${p}-${tag}`, reconnectPeriod: 0 }));
        const acked = new Set<number>();
        // A steady load: each publisher sends its devices' heartbeats CHUNK at a time (waiting for the broker's PUBACKs), then pauses.
        const publishing = Promise.all(
          publishers.map(async (client, p) => {
            const mine = devices.map((_, i) => i).filter((i) => i % PUBLISHERS === p);
            for (let k = 0; k < mine.length; k += CHUNK) {
              await Promise.all(
                mine.slice(k, k + CHUNK).map((i) => publishHeartbeat(client, devices[i], { firmwareVersion: firmwareOf(i) }).then(() => acked.add(i))),
              );
              await sleep(PAUSE_MS);
            }
          }),
        );
        const started = Date.now();

        // The victim has committed some and holds others un-acknowledged: the moment at-least-once is about.
        const victim = replicas[2];
        const { value: victimAtKill } = await eventually(
          async () => {
            const c = await counters(victim);
            if (c.committed < 100 || c.pending === 0) throw new Error(`no kill point yet: ${JSON.stringify(c)}`);
            return c;
          },
          20_000,
          10,
        );
        const survivorsAtKill = await Promise.all([counters(replicas[0]), counters(replicas[1])]);
        const ackedAtKill = acked.size;
        await victim.kill();
        // The premise: most of the load is still to come when the replica dies.
        expect(ackedAtKill).toBeLessThan(DEVICES * 0.6);
        const killedAfterMs = Date.now() - started;

        await publishing;
        const publishMs = Date.now() - started;
        expect(acked.size).toBe(DEVICES);

        // The survivors settle: nothing pending and no new commits for a second.
        let last = '';
        await eventually(
          async () => {
            const now = await Promise.all([counters(replicas[0]), counters(replicas[1])]);
            const key = JSON.stringify(now.map((c) => c.committed));
            const settled = key === last && now.every((c) => c.pending === 0);
            last = key;
            if (!settled) throw new Error('survivors still committing');
          },
          30_000,
          1000,
        );
        const survivorsAfter = await Promise.all([counters(replicas[0]), counters(replicas[1])]);
        const carried = survivorsAfter.map((c, i) => c.committed - survivorsAtKill[i].committed);
        // Each survivor applied heartbeats after the kill.
        expect(carried[0]).toBeGreaterThan(0);
        expect(carried[1]).toBeGreaterThan(0);

        const beforeRestart = await appliedInDatabase();
        const missingBeforeRestart = DEVICES - beforeRestart.size;
        // Mosquitto 2.0 keeps them for the dead member's session instead of handing them to a survivor (see the test above).
        expect(missingBeforeRestart).toBeGreaterThan(0);

        // The replica comes back under the same client id, as a StatefulSet pod or a compose service with a fixed id does.
        const restarting = Date.now();
        replicas[2] = await ServiceProcess.start(envs[2], 90_000);
        await eventually(
          async () => {
            const n = (await appliedInDatabase()).size;
            if (n < DEVICES) throw new Error(`${DEVICES - n} acknowledged heartbeats not applied`);
          },
          30_000,
          200,
        );
        const drainMs = Date.now() - restarting;
        const restarted = await counters(replicas[2]);

        const applied = await appliedInDatabase();
        expect(devices.filter((id, i) => applied.get(id)?.firmware !== firmwareOf(i) || !applied.get(id)?.seen)).toEqual([]);
        expect(restarted.received).toBeGreaterThanOrEqual(missingBeforeRestart);
        process.stdout.write(
          `replicas-kill: ${DEVICES} heartbeats from ${PUBLISHERS} publishers over ${publishMs} ms, all acknowledged by the broker; replica c killed after ${killedAfterMs} ms ` +
            `(${ackedAtKill} acknowledged by then; c had committed ${victimAtKill.committed}, ${victimAtKill.pending} pending); after the kill a carried ${carried[0]} and b ${carried[1]}; ` +
            `${missingBeforeRestart} acknowledged heartbeats stayed with c's session until it restarted; restarted c received ${restarted.received} ` +
            `and committed ${restarted.committed}; all ${DEVICES} applied ${drainMs} ms after the restart began\n`,
        );
      }, 180_000);
    });
  }
});
