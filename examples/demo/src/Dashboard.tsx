import type { MeResponse } from '@tessera/protocol';
import { HowItWorks } from './HowItWorks';
import { ProjectsCard } from './ProjectsCard';
import { SessionsCard } from './SessionsCard';
import { TenantCard } from './TenantCard';
import { TokenCard } from './TokenCard';

export function Dashboard({ me }: { me: MeResponse | null }) {
  return (
    <div id="signed-in" className="dashboard">
      <div className="grid">
        <div className="column">
          <TenantCard me={me} />
          <SecondTabHint />
        </div>
        <TokenCard />
      </div>
      <ProjectsCard me={me} />
      <SessionsCard />
      <HowItWorks />
    </div>
  );
}

function SecondTabHint() {
  return (
    <aside className="tab-hint" aria-labelledby="tab-hint-title">
      <div>
        <h2 id="tab-hint-title">Now open this page in a second tab</h2>
        <p>
          Pick another tenant there and reload both: each tab keeps its own. Sign out in one: every tab is
          signed out within a second.
        </p>
      </div>
      <a id="open-tab" className="button primary" href="/" target="_blank" rel="noopener">
        Open a second tab
        <span className="sr-only"> (opens in a new tab)</span>
      </a>
    </aside>
  );
}
