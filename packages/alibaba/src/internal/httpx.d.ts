/** httpx (the HTTP client of @darabonba/typescript) ships no types; the sdk transport uses only `request`. */
declare module "httpx" {
  export function request(url: string, options: Record<string, unknown>): Promise<unknown>
}
