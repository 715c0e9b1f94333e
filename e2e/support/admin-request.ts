/**
 * One admin API call against a Tessera process started by a test (a packed install, a container),
 * with the admin key it was started with: the parsed JSON answer, or an error naming the status.
 */
export async function adminRequest(
  baseUrl: string,
  adminKey: string,
  method: string,
  path: string,
  body: unknown,
): Promise<unknown> {
  const response = await fetch(`${baseUrl}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}
