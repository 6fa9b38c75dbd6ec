import { v7 } from 'uuid';

/**
 * The id of a row the service inserts: a UUIDv7, time-ordered, as the columns' default (`uuid_v7()`) makes
 * them too. New rows of a large table then land on the right-hand leaves of its primary key, and every
 * index keyed by a payment's id stays hot for recent payments, the ones money arrives for; random ids put
 * each insert on a random leaf, and dirty a new page (and its full-page image in the WAL) every time.
 * Its 74 random bits keep it unguessable; it is no secret (checkout and claim tokens stay fully random).
 */
export const newRowId = (): string => v7();
