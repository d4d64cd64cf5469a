import { ANALYST_ROLES, hasRole, highestRole, isAnalystRole } from './analyst-role';

describe('analyst roles', () => {
  it('orders the roles so that each includes the ones below it', () => {
    expect(ANALYST_ROLES.filter((role) => hasRole(role, 'analyst'))).toEqual(['analyst', 'supervisor', 'admin']);
    expect(ANALYST_ROLES.filter((role) => hasRole('supervisor', role))).toEqual(['viewer', 'analyst', 'supervisor']);
    expect(hasRole('viewer', 'viewer')).toBe(true);
    expect(hasRole('viewer', 'analyst')).toBe(false);
    expect(hasRole('admin', 'admin')).toBe(true);
  });

  it('knows only its four words, case included', () => {
    expect(isAnalystRole('admin')).toBe(true);
    expect(isAnalystRole('Admin')).toBe(false);
    expect(isAnalystRole('toString')).toBe(false);
    expect(isAnalystRole(undefined)).toBe(false);
  });

  it('takes the highest known role of a list, ignoring words it does not know', () => {
    expect(highestRole(['viewer', 'tm-admins', 'supervisor', 'analyst'])).toBe('supervisor');
    expect(highestRole(['admin', 'viewer'])).toBe('admin');
    expect(highestRole(['staff', 42, null])).toBeUndefined();
    expect(highestRole([])).toBeUndefined();
  });
});
