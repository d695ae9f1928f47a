// The movement status machine. "Delayed" is a flag beside the status, not a status.
import type { MOVEMENT_STATUSES } from './vocabulary.ts';

export type MovementStatus = (typeof MOVEMENT_STATUSES)[number];

const NEXT: Record<MovementStatus, readonly MovementStatus[]> = {
  planned: ['boarding', 'departed', 'cancelled'],
  boarding: ['planned', 'departed', 'cancelled'],
  departed: ['arrived'],
  arrived: [],
  cancelled: ['planned'],
};

export function allowedTransitions(from: MovementStatus): readonly MovementStatus[] {
  return NEXT[from];
}

export function canTransition(from: MovementStatus, to: MovementStatus): boolean {
  return from === to || NEXT[from].includes(to);
}

/** Departed or arrived: the movement has left, its figures may be published. */
export function hasDeparted(status: MovementStatus): boolean {
  return status === 'departed' || status === 'arrived';
}
