import { EnvReader } from './env-schema.js';
import { loadReconcileConfig, parseSchedule } from './reconcile-config.js';

describe('parseSchedule', () => {
  it('reads delays with their units, keeping each as configured', () => {
    expect(parseSchedule('S', '7m,20m,60m')).toEqual([
      { label: '7m', seconds: 420 },
      { label: '20m', seconds: 1200 },
      { label: '60m', seconds: 3600 },
    ]);
    expect(parseSchedule('S', ' 2s, 1h ,1d')).toEqual([
      { label: '2s', seconds: 2 },
      { label: '1h', seconds: 3600 },
      { label: '1d', seconds: 86_400 },
    ]);
    expect(parseSchedule('S', 'none')).toEqual([]);
  });

  it.each([['7'], ['7x'], ['0s'], ['5m,2m'], ['1m,1m'], ['31d'], ['1m,,2m']])('refuses %j', (value) => {
    expect(() => parseSchedule('RECONCILE_SCHEDULE', value)).toThrow(/RECONCILE_SCHEDULE/);
  });
});

describe('loadReconcileConfig', () => {
  it('defaults to 7m,20m,60m and 10m,1h,24h at 5 calls per second, enabled', () => {
    const r = new EnvReader();
    const config = loadReconcileConfig({}, r);
    expect(r.errors).toEqual([]);
    expect(config).toMatchObject({ enabled: true, ratePerSecond: 5 });
    expect(config.schedule.map((s) => s.label)).toEqual(['7m', '20m', '60m']);
    expect(config.afterFinalSchedule.map((s) => s.seconds)).toEqual([600, 3600, 86_400]);
  });

  it('names every bad variable', () => {
    const r = new EnvReader();
    loadReconcileConfig(
      { RECONCILE_ENABLED: 'maybe', RECONCILE_SCHEDULE: 'soon', RECONCILE_RATE_PER_SECOND: '0' },
      r,
    );
    expect(r.errors).toHaveLength(3);
    expect(r.errors.join(' ')).toMatch(/RECONCILE_ENABLED.*RECONCILE_SCHEDULE.*RECONCILE_RATE_PER_SECOND/);
  });
});
