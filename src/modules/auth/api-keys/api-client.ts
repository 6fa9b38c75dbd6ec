/**
 * Who may call what. order_system: an order system creating and following its own payments (every key
 * before roles existed). operator: a person at the merchant working the review queue; reads any payment,
 * never creates or cancels one.
 */
export const API_ROLES = ['order_system', 'operator'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** The authenticated API client (order system or operator) behind a request. */
export interface ApiClient {
  id: string;
  name: string;
  role: ApiRole;
}
