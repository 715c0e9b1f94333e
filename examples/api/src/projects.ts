/**
 * The example API's data: each tenant's projects, in memory. A real API keeps them in its own
 * database, keyed by the tenant id from the verified token, as here.
 */

export interface Project {
  id: string;
  name: string;
  createdAt: string;
  /** The `sub` of the user who created it; `null` for the seeded ones. */
  createdBy: string | null;
}

/** A tenant holds at most this many projects: the store is memory, and anyone signed in can write. */
export const MAX_PROJECTS_PER_TENANT = 100;

/** The demo's tenants (packages/server/src/demo/seed.ts), with a few projects each. */
const SEED: Record<string, string[]> = {
  acme: ['Website relaunch', 'Billing migration', 'Mobile app beta'],
  globex: ['Q3 planning', 'Data warehouse'],
};

export class ProjectStore {
  readonly #byTenant = new Map<string, Project[]>();
  #nextId = 1;

  constructor(seed: Record<string, string[]> = SEED, now = new Date()) {
    for (const [tenantId, names] of Object.entries(seed)) {
      for (const name of names) this.#add(tenantId, name, null, now);
    }
  }

  list(tenantId: string): Project[] {
    return [...(this.#byTenant.get(tenantId) ?? [])];
  }

  /** `null` when the tenant is full. */
  create(tenantId: string, name: string, createdBy: string): Project | null {
    if ((this.#byTenant.get(tenantId)?.length ?? 0) >= MAX_PROJECTS_PER_TENANT) return null;
    return this.#add(tenantId, name, createdBy, new Date());
  }

  #add(tenantId: string, name: string, createdBy: string | null, at: Date): Project {
    const project: Project = {
      id: `prj_${String(this.#nextId++).padStart(4, '0')}`,
      name,
      createdAt: at.toISOString(),
      createdBy,
    };
    const list = this.#byTenant.get(tenantId);
    if (list) list.push(project);
    else this.#byTenant.set(tenantId, [project]);
    return project;
  }
}
