// Swagger and rate-limit settings the checkout's routes share.
export const TOKEN_PARAM = {
  name: 'token',
  description: "The checkout token from the payment's checkoutUrl (not the payment id)",
  example: 'q3Jx0lS6bq9C0m4r8XbJ3tVn1e5Pz2WkYhU7aGdLfNc',
};
export const LANG_QUERY = {
  name: 'lang',
  required: false,
  enum: ['vi', 'en'],
  description: "Overrides the payment's locale",
};
// Per address and route, counted per instance by @fastify/rate-limit (limit: CHECKOUT_RATE_LIMIT_PER_MINUTE).
export const LIMITED = { rateLimit: {} };
export const NOT_FOUND = { description: 'No payment has this checkout token (a 404 page)' };
