import { describe, expect, it } from 'vitest';
import { sectionOf } from './service-switcher';

describe('sectionOf', () => {
  it('keeps the section of a list page', () => {
    expect(sectionOf('/s/production/audit')).toBe('/audit');
    expect(sectionOf('/s/production/incidents')).toBe('/incidents');
    expect(sectionOf('/s/production/staff')).toBe('/staff');
  });
  it('gives way to the list when the page shows one record of this service', () => {
    expect(sectionOf('/s/production/batches/4f2c')).toBe('/batches');
    expect(sectionOf('/s/production/subjects/alice')).toBe('/tokens');
  });
  it('lands on the token list from the service root', () => {
    expect(sectionOf('/s/production')).toBe('/tokens');
  });
});
