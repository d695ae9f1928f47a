// A reloaded movement as the input of an edit (editMovement's `fields`): what a
// staff form would send back unchanged, so a test spreads only what it changes over it.
// The operation works in English (the default): its label is the movement's key.
import type { MovementInput } from '../../src/domain/staff/movements.ts';
import type { reloadMovement } from './factories.ts';

export const movementFields = (m: Awaited<ReturnType<typeof reloadMovement>>): MovementInput => ({
  labels: { ...m.labels, en: m.label },
  kind: m.kind,
  scheduledDate: m.scheduledDate,
  scheduledDepartureAt: null,
  meetingPoint: m.meetingPoint,
  departedAt: null,
  arrivedAt: null,
  status: m.status,
  delayed: m.delayed,
  capacity: m.capacity,
  currentLegId: m.currentLegId,
  publicNotes: m.publicNotes,
  staffNote: m.staffNote,
});
