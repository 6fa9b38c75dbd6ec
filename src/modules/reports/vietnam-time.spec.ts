import { instantOf, vietnamDay, vietnamMidnight } from './vietnam-time.js';

describe('vietnamDay', () => {
  it('cuts days at midnight in Vietnam (17:00 UTC the day before)', () => {
    expect(vietnamDay('2026-12-01')).toEqual({
      from: new Date('2026-11-30T17:00:00.000Z'),
      to: new Date('2026-12-01T17:00:00.000Z'),
    });
    expect(vietnamMidnight('2027-01-01')).toEqual(new Date('2026-12-31T17:00:00.000Z'));
  });

  it('knows no 30 February and no other spelling', () => {
    expect(vietnamDay('2026-02-30')).toBeNull();
    expect(vietnamDay('2026-2-3')).toBeNull();
    expect(vietnamDay('01/12/2026')).toBeNull();
  });
});

describe('instantOf', () => {
  it('reads dates as Vietnamese midnight and date-times with their offset', () => {
    expect(instantOf('2026-12-01')).toEqual(new Date('2026-11-30T17:00:00.000Z'));
    expect(instantOf('2026-12-01T08:30:00+07:00')).toEqual(new Date('2026-12-01T01:30:00.000Z'));
    expect(instantOf('2026-12-01T01:30Z')).toEqual(new Date('2026-12-01T01:30:00.000Z'));
  });

  it('refuses a date-time without offset', () => {
    expect(instantOf('2026-12-01T08:30:00')).toBeNull();
    expect(instantOf('yesterday')).toBeNull();
  });
});
