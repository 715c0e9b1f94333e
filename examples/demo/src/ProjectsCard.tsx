import type { MeResponse } from '@tessera/protocol';
import { useAccessToken } from '@tessera/react';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useDemoConfig } from './config';
import { type ApiAnswer, callExampleApi, describeAnswer, type Project, rememberToken } from './example-api';
import { decodeJwtPayload } from './jwt';

interface ProjectList {
  tenantId: string;
  projects: Project[];
}

/** The demo's tenants: someone in one of them still gets a button for the other. */
const DEMO_TENANTS: Record<string, string> = { acme: 'Acme Corp', globex: 'Globex' };
/** What `POST /tenants/:tenantId/projects` asks of the token (examples/api `WRITE_PERMISSION`). */
const WRITE_PERMISSION = 'users:write';

const projectsPath = (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}/projects`;
const tone = (answer: ApiAnswer<unknown> | null) =>
  answer === null ? 'pending' : answer.status >= 200 && answer.status < 300 ? 'ok' : 'refused';

export function ProjectsCard({ me }: { me: MeResponse | null }) {
  const { apiUrl } = useDemoConfig();
  const token = useAccessToken();
  const claims = useMemo(() => (token ? decodeJwtPayload(token) : null), [token]);
  // The tenant of the token itself, never another source: the two cannot disagree mid-switch.
  const tenantId = typeof claims?.tenantId === 'string' ? claims.tenantId : null;
  const [list, setList] = useState<ApiAnswer<ProjectList> | null>(null);
  const [other, setOther] = useState<{ tenantId: string; answer: ApiAnswer<ProjectList> } | null>(null);
  const [added, setAdded] = useState<ApiAnswer<Project> | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState<'other' | 'add' | null>(null);
  const [reloads, setReloads] = useState(0);

  const nameOf = (id: string) =>
    me?.tenants.find((tenant) => tenant.id === id)?.name ?? DEMO_TENANTS[id] ?? id;
  const otherTenant =
    tenantId === null
      ? null
      : ([...(me?.tenants.map((tenant) => tenant.id) ?? []), ...Object.keys(DEMO_TENANTS)].find(
          (id) => id !== tenantId,
        ) ?? null);
  const mayWrite = Array.isArray(claims?.permissions) && claims.permissions.includes(WRITE_PERMISSION);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new tenant clears the last answers
  useEffect(() => {
    setList(null);
    setOther(null);
    setAdded(null);
  }, [tenantId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reloads` asks again after a change
  useEffect(() => {
    if (!apiUrl || !token || !tenantId) return;
    rememberToken(apiUrl, token);
    let live = true;
    void callExampleApi<ProjectList>(apiUrl, token, 'GET', projectsPath(tenantId)).then((answer) => {
      if (live) setList(answer);
    });
    return () => {
      live = false;
    };
  }, [apiUrl, token, tenantId, reloads]);

  async function askOther() {
    if (!apiUrl || !token || !otherTenant) return;
    setBusy('other');
    const answer = await callExampleApi<ProjectList>(apiUrl, token, 'GET', projectsPath(otherTenant));
    setOther({ tenantId: otherTenant, answer });
    setBusy(null);
  }

  async function addProject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!apiUrl || !token || !tenantId || name.trim() === '') return;
    setBusy('add');
    const answer = await callExampleApi<Project>(apiUrl, token, 'POST', projectsPath(tenantId), {
      name: name.trim(),
    });
    setAdded(answer);
    if (answer.status === 201) {
      setName('');
      setReloads((count) => count + 1);
    }
    setBusy(null);
  }

  return (
    <article id="projects-card" className="card" aria-labelledby="projects-title">
      <header className="card-head">
        <h2 id="projects-title">
          This tenant's projects <span className="title-note">— from the example API</span>
        </h2>
        <span className="badge">@tessera/node</span>
      </header>
      <p className="muted">
        <code>examples/api</code> is a separate API on another origin{apiUrl && <> ({apiUrl})</>}, a Fastify
        server like yours. It checks this tab's access token itself, against Tessera's published keys (JWKS):
        no call to Tessera per request. It serves only the tenant named in the token:{' '}
        <code>requireTenant('tenantId')</code>.
      </p>

      {!apiUrl ? (
        <p id="projects-unavailable" className="notice" role="status">
          The example API is not running. <code>npm start</code> serves it on port 4002 once it is built:{' '}
          <code>npm run build</code>.
        </p>
      ) : (
        <div className="projects-layout">
          <section className="api-call" aria-labelledby="projects-request">
            <p className="request" id="projects-request">
              <code>GET /tenants/{tenantId ?? '…'}/projects</code>
              <span id="projects-status" className={`status ${tone(list)}`}>
                {list === null ? 'loading…' : describeAnswer(list)}
              </span>
            </p>
            {list?.body && (
              <ul id="projects" className="projects">
                {list.body.projects.map((project) => (
                  <li key={project.id} data-testid={`project-${project.id}`}>
                    <strong>{project.name}</strong>
                    <small>
                      <code>{project.id}</code>
                      {project.createdBy === null ? ' · seeded' : ` · added by ${project.createdBy}`}
                    </small>
                  </li>
                ))}
                {list.body.projects.length === 0 && <li className="fine">No projects yet.</li>}
              </ul>
            )}
            {list && list.status !== 200 && (
              <p className="error" role="alert">
                The API answered {describeAnswer(list)}.
              </p>
            )}
            <form id="add-project" className="add-project" onSubmit={(event) => void addProject(event)}>
              <label className="sr-only" htmlFor="project-name">
                New project name
              </label>
              <input
                id="project-name"
                value={name}
                maxLength={100}
                placeholder="New project name"
                onChange={(event) => setName(event.target.value)}
              />
              <button
                type="submit"
                className="button secondary small"
                disabled={busy !== null || name.trim() === ''}
              >
                {busy === 'add' ? 'Adding…' : 'Add'}
              </button>
            </form>
            <p id="add-project-result" className="fine" role="status">
              {added === null ? (
                <>
                  <code>POST</code> needs the permission <code>{WRITE_PERMISSION}</code>, checked by{' '}
                  <code>requirePermissions</code>: the admin role has it
                  {mayWrite ? ', and so does this token.' : '; this token does not.'}
                </>
              ) : added.status === 201 ? (
                <>
                  <span className="status ok">201 Created</span> {added.body?.id}
                </>
              ) : (
                <>
                  <span className="status refused">{describeAnswer(added)}</span>{' '}
                  {added.error === 'insufficient_scope'
                    ? `this token's roles do not grant ${WRITE_PERMISSION}.`
                    : ''}
                </>
              )}
            </p>
          </section>

          <section className="api-call other-tenant" aria-labelledby="other-tenant-title">
            <h3 id="other-tenant-title">And another tenant's projects?</h3>
            <p className="fine">
              This tab's token is for <strong>{tenantId ? nameOf(tenantId) : '…'}</strong>. Ask the API for{' '}
              {otherTenant ? nameOf(otherTenant) : 'another tenant'}'s projects with it:
            </p>
            <button
              type="button"
              id="other-tenant"
              className="button secondary"
              disabled={busy !== null || !otherTenant || !token}
              onClick={() => void askOther()}
            >
              {busy === 'other' ? 'Asking…' : `Ask for ${otherTenant ? nameOf(otherTenant) : '…'}'s projects`}
            </button>
            {other && (
              <div id="other-tenant-result" role="status">
                <p className="request">
                  <code>GET {projectsPath(other.tenantId)}</code>
                  <span className={`status ${tone(other.answer)}`}>{describeAnswer(other.answer)}</span>
                </p>
                {other.answer.status === 403 ? (
                  <p className="fine">
                    <code>
                      WWW-Authenticate: {other.answer.wwwAuthenticate ?? 'Bearer error="insufficient_scope"'}
                    </code>
                    <br />
                    The route's tenant is not the token's <code>tenantId</code>. A user of two tenants holds a
                    token for one at a time, per tab: switch this tab to {nameOf(other.tenantId)} to see its
                    projects.
                  </p>
                ) : (
                  <p className="fine">Unexpected: the API should refuse another tenant's route.</p>
                )}
              </div>
            )}
          </section>
        </div>
      )}

      <div className="revocation-note">
        <h3>Sign out, and this token is refused within seconds</h3>
        <p>
          A JWT cannot be revoked: on its own, a copy of this token would work until it expires. The example
          API follows Tessera's <strong>revocation feed</strong> (strict mode, as the confidential client{' '}
          <code>demo-api</code>): when a session ends — sign-out, another device, an administrator — its
          tokens are refused within about a second, still with no call per request. Sign out and the sign-in
          screen asks the API once more with your last token, to show you.
        </p>
      </div>
    </article>
  );
}
