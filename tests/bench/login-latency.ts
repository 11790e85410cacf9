// Benchmark 3: login latency (password + TOTP through the real procedures), and argon2id alone.
import argon2 from 'argon2';
import { ARGON2_OPTIONS } from '../../src/server/auth/password';
import { totpCodeAt } from '../../src/server/auth/totp';
import { createBenchDatabase } from './support/database';
import { BENCH_PASSWORD, benchCaller, BenchClock, createOrganisation, createUser } from './support/identity';
import { type LatencySummary, log, summarise } from './support/stats';

export interface LoginLatencyReport {
  logins: number;
  total: LatencySummary;
  passwordStep: LatencySummary;
  secondFactorStep: LatencySummary;
  argon2: {
    options: { type: 'argon2id'; memoryCost: number; timeCost: number; parallelism: number };
    hash: LatencySummary;
    verify: LatencySummary;
  };
}

export async function benchLoginLatency(options: { logins: number; warmup: number; argon2Samples: number }): Promise<LoginLatencyReport> {
  const database = await createBenchDatabase('login');
  try {
    const app = await database.openAsApplication(4);
    const organisation = await createOrganisation(app.db);
    const user = await createUser(app.db, organisation.id, ['clinician']);
    const clock = new BenchClock();
    const caller = benchCaller(app.db, clock.now);
    const total: number[] = [];
    const password: number[] = [];
    const secondFactor: number[] = [];
    for (let index = 0; index < options.warmup + options.logins; index++) {
      const started = performance.now();
      const first = await caller.auth.login.password({ email: user.email, password: BENCH_PASSWORD, deviceId: 'bench-device-0001' });
      const afterPassword = performance.now();
      if (first.step !== 'second_factor') throw new Error(`login ${index}: expected the second-factor step, got ${first.step}`);
      const code = await totpCodeAt(user.totpSecret, clock.now());
      const beforeCode = performance.now();
      const result = await caller.auth.login.secondFactor({ ticket: first.ticket, code });
      const finished = performance.now();
      if (!result.token) throw new Error(`login ${index}: no session token`);
      if (index >= options.warmup) {
        password.push(afterPassword - started);
        secondFactor.push(finished - beforeCode);
        total.push(afterPassword - started + (finished - beforeCode));
      }
      // A TOTP step may be used once: move the server clock past it instead of sleeping.
      clock.advance(30_000);
    }
    log(`  ${options.logins} logins: p50 ${summarise(total).p50Ms} ms, p95 ${summarise(total).p95Ms} ms, p99 ${summarise(total).p99Ms} ms`);

    const hashes: number[] = [];
    const verifies: number[] = [];
    let hash = '';
    for (let index = 0; index < options.argon2Samples + 2; index++) {
      let started = performance.now();
      hash = await argon2.hash(`${BENCH_PASSWORD}-${index}`, ARGON2_OPTIONS);
      const hashMs = performance.now() - started;
      started = performance.now();
      const ok = await argon2.verify(hash, `${BENCH_PASSWORD}-${index}`);
      const verifyMs = performance.now() - started;
      if (!ok) throw new Error('argon2.verify refused the password it just hashed');
      if (index >= 2) {
        hashes.push(hashMs);
        verifies.push(verifyMs);
      }
    }
    // The parameters the hash records are the ones measured (PHC string: $argon2id$v=19$m=…,t=…,p=…$…).
    const [, algorithm, , parameters = ''] = hash.split('$');
    const recorded = Object.fromEntries(parameters.split(',').map((pair) => pair.split('=')));
    if (algorithm !== 'argon2id' || Number(recorded.m) !== ARGON2_OPTIONS.memoryCost || Number(recorded.t) !== ARGON2_OPTIONS.timeCost || Number(recorded.p) !== ARGON2_OPTIONS.parallelism) {
      throw new Error(`Unexpected argon2 hash parameters: ${algorithm} ${parameters}`);
    }
    log(`  argon2id (m=${ARGON2_OPTIONS.memoryCost} KiB, t=${ARGON2_OPTIONS.timeCost}, p=${ARGON2_OPTIONS.parallelism}): hash p50 ${summarise(hashes).p50Ms} ms, verify p50 ${summarise(verifies).p50Ms} ms`);
    return {
      logins: options.logins,
      total: summarise(total),
      passwordStep: summarise(password),
      secondFactorStep: summarise(secondFactor),
      argon2: {
        options: { type: 'argon2id', memoryCost: ARGON2_OPTIONS.memoryCost, timeCost: ARGON2_OPTIONS.timeCost, parallelism: ARGON2_OPTIONS.parallelism },
        hash: summarise(hashes),
        verify: summarise(verifies),
      },
    };
  } finally {
    await database.drop();
  }
}
