// Friendly words for the API's codes. Debrief's language avoids blame: an
// "event" is anything worth learning from, not a failure.
import type { EventKind, EventStatus, InvolvementRole, ReferenceKind, Role, TimelineKind } from '../api/types'

export const eventKinds: Record<EventKind, string> = {
  incident: 'Incident',
  near_miss: 'Near miss',
  surprise: 'Surprise',
  normal_work: 'Normal work',
  change: 'Change',
  game_day: 'Game day',
}

export const eventKindHints: Record<EventKind, string> = {
  incident: 'Something affected customers or colleagues',
  near_miss: 'It could have gone worse, and did not',
  surprise: 'The system behaved in a way nobody expected',
  normal_work: 'Everyday work that went well, worth understanding',
  change: 'A change or deploy, whichever way it went',
  game_day: 'A planned exercise or pre-mortem',
}

export const eventStatuses: Record<EventStatus, string> = {
  open: 'Open',
  gathering: 'Gathering',
  analyzing: 'Analyzing',
  reviewing: 'Reviewing',
  published: 'Published',
  closed: 'Closed',
}

export const statusOrder: EventStatus[] = ['open', 'gathering', 'analyzing', 'reviewing', 'published', 'closed']

export const timelineKinds: Record<TimelineKind, string> = {
  observation: 'Observation',
  action: 'Action',
  communication: 'Communication',
  hypothesis: 'Hypothesis',
  decision: 'Decision',
}

export const involvementRoles: Record<InvolvementRole, string> = {
  responder: 'Responder',
  incident_commander: 'Incident commander',
  change_author: 'Change author',
  owner: 'Owner',
  noticed: 'Noticed it',
  affected: 'Affected',
  expert: 'Expert',
  newcomer: 'Newcomer',
  other: 'Other',
}

export const referenceKinds: Record<ReferenceKind, string> = {
  chat_log: 'Chat log',
  dashboard: 'Dashboard',
  pull_request: 'Pull request',
  ticket: 'Ticket',
  document: 'Document',
  recording: 'Recording',
  other: 'Other',
}

export const roles: Record<Role, string> = {
  admin: 'Admin',
  facilitator: 'Facilitator',
  member: 'Member',
  leader: 'Leader',
}

export const roleHints: Record<Role, string> = {
  admin: 'Manages users and settings, and everything a facilitator can do',
  facilitator: 'Records events, people and timelines',
  member: 'Sees the events they took part in',
  leader: 'Reads published events',
}

/** Object.entries with the key type kept. */
export function entries<K extends string, V>(rec: Record<K, V>): Array<[K, V]> {
  return Object.entries(rec) as Array<[K, V]>
}
