import { describe, expect, it } from 'vitest';
import { parseTokenCount } from './authorizations';

describe('parseTokenCount', () => {
  it('reads the count from Authlete’s own messages (A137001, A138001)', () => {
    expect(
      parseTokenCount(
        '[A138001] Updated 1 access token(s) issued to the client (ID = 26478243745571) of the service (API Key = 21653835348762).',
      ),
    ).toBe(1);
    expect(parseTokenCount('[A137001] Deleted 0 access token(s) issued to the client (ID = 5) of the service.')).toBe(
      0,
    );
    expect(parseTokenCount('[A137001] Deleted 1234 access token(s) issued to the client')).toBe(1234);
  });

  it('answers null when the message does not say (reworded, absent): the caller reports the count as unknown', () => {
    expect(parseTokenCount('[A137001] The tokens were deleted.')).toBeNull();
    expect(parseTokenCount('')).toBeNull();
    expect(parseTokenCount(undefined)).toBeNull();
    expect(parseTokenCount(null)).toBeNull();
    expect(parseTokenCount('Deleted many access token(s)')).toBeNull();
  });
});
