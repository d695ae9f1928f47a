// What a staff member may do, as plain flags: computed once per request (routes/locals.ts)
// and handed to presenters, which show or hide forms by them. The routes' guards
// (staffRoute's declared role) still refuse; these flags only shape pages.
import { type StaffUser, hasRole } from './roles.ts';

export type Permissions = {
  /** Any signed-in staff member: read every workspace page. */
  read: boolean;
  /** Officer: movements, figures, notices, CSV imports, public page texts. */
  edit: boolean;
  /** Admin: operations, routes, places, users, digest recipients. */
  administer: boolean;
};

export function permissionsOf(user: StaffUser | undefined): Permissions {
  return {
    read: hasRole(user, 'viewer'),
    edit: hasRole(user, 'officer'),
    administer: hasRole(user, 'admin'),
  };
}

export const NO_PERMISSIONS: Permissions = { read: false, edit: false, administer: false };
