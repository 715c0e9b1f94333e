import type { AdminEnvironmentDefaults } from '../../../service/admin/environment-settings.js';
import type { SharedDeps } from '../../../service/deps.js';

export interface AdminRoutesOptions {
  deps: SharedDeps;
  /** `TESSERA_ADMIN_KEY`: the bearer credential of every admin route. */
  adminKey: string;
  /** `TESSERA_PUBLIC_URL`: its origin is the console's, and https makes the console cookie `__Host-`. */
  publicUrl: string;
  /** New environments' settings and the rules every setting must satisfy (from config/). */
  environmentDefaults: AdminEnvironmentDefaults;
}
