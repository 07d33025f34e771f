// Short names for the scheduling, booking, feed and Google-connection types.
import type { Schemas } from './client'

export type AvailabilityRequest = Schemas['AvailabilityRequest']
export type AvailabilityResponse = Schemas['AvailabilityResponse']
export type Slot = Schemas['Slot']
export type PersonAvailability = Schemas['PersonAvailability']
export type Booking = Schemas['Booking']
export type BookingStatus = Schemas['BookingStatus']
export type BookingInput = Schemas['BookingInput']
export type GoogleConnection = Schemas['GoogleConnection']
export type GoogleConnectionTest = Schemas['GoogleConnectionTest']
export type OIDCInfo = Schemas['OIDCInfo']
