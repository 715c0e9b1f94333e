/** The environment's roles as checkboxes, for a membership. */
import { useId } from 'react';
import type { Role } from '../types';

export function RolePicker({
  roles,
  value,
  onChange,
  legend = 'Roles',
  error,
}: {
  roles: Role[];
  value: string[];
  onChange: (roles: string[]) => void;
  legend?: string;
  error?: string | null;
}) {
  const id = useId();
  const toggle = (key: string, on: boolean) =>
    onChange(on ? [...value, key] : value.filter((role) => role !== key));
  return (
    <fieldset className={error ? 'field field-invalid' : 'field'}>
      <legend>{legend}</legend>
      {roles.length === 0 ? <p className="field-hint">This environment defines no roles yet.</p> : null}
      <div className="role-grid">
        {roles.map((role) => (
          <div key={role.key} className="check-row">
            <input
              id={`${id}-${role.key}`}
              type="checkbox"
              checked={value.includes(role.key)}
              onChange={(event) => toggle(role.key, event.target.checked)}
            />
            <label htmlFor={`${id}-${role.key}`}>
              {role.name} <span className="muted mono">{role.key}</span>
            </label>
          </div>
        ))}
      </div>
      {error ? <p className="field-error">{error}</p> : null}
    </fieldset>
  );
}
