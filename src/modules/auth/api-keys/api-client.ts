/** The authenticated order system behind a request. */
export interface ApiClient {
  id: string;
  name: string;
}
