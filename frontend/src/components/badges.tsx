import type { EventKind, EventStatus, InvolvementRole, ReferenceKind, TimelineKind } from '../api/types'
import { eventKinds, eventStatuses, involvementRoles, referenceKinds, timelineKinds } from '../lib/labels'
import { Badge } from './ui'

const kindTone: Record<EventKind, string> = {
  incident: 'amber',
  near_miss: 'violet',
  surprise: 'teal',
  normal_work: 'green',
  change: 'blue',
  game_day: 'slate',
}

const statusTone: Record<EventStatus, string> = {
  open: 'blue',
  gathering: 'teal',
  analyzing: 'violet',
  reviewing: 'amber',
  published: 'green',
  closed: 'neutral',
}

const timelineTone: Record<TimelineKind, string> = {
  observation: 'slate',
  action: 'blue',
  communication: 'teal',
  hypothesis: 'violet',
  decision: 'amber',
}

export const KindBadge = ({ kind }: { kind: EventKind }) => <Badge tone={kindTone[kind]}>{eventKinds[kind]}</Badge>

export const StatusBadge = ({ status }: { status: EventStatus }) => (
  <Badge tone={`status-${statusTone[status]}`}>{eventStatuses[status]}</Badge>
)

export const TimelineKindBadge = ({ kind }: { kind: TimelineKind }) => (
  <Badge tone={timelineTone[kind]}>{timelineKinds[kind]}</Badge>
)

export const RoleBadge = ({ role }: { role: InvolvementRole }) => <Badge>{involvementRoles[role]}</Badge>

export const ReferenceKindBadge = ({ kind }: { kind: ReferenceKind }) => <Badge>{referenceKinds[kind]}</Badge>
