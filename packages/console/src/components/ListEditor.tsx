/**
 * A list of strings edited row by row (redirect URIs, origins, event types): each row its own
 * labelled input and remove button, the API's error shown under the row it names
 * (`/redirectUris/2`) or under the list (`/redirectUris`).
 */
import { useId } from 'react';
import { fieldError } from '../api';

export interface ListEditorProps {
  legend: string;
  /** One row's name: "Redirect URI" labels row 2 "Redirect URI 2". */
  itemLabel: string;
  hint?: string;
  /** The list's JSON Pointer in the request body, to find its errors. */
  pointer: string;
  values: string[];
  onChange: (values: string[]) => void;
  error: unknown;
  placeholder?: string;
  addLabel?: string;
}

export function ListEditor({
  legend,
  itemLabel,
  hint,
  pointer,
  values,
  onChange,
  error,
  placeholder,
  addLabel,
}: ListEditorProps) {
  const hintId = useId();
  const listError = fieldError(error, pointer);
  const rowErrors = values.map((_, index) => fieldError(error, `${pointer}/${index}`));
  const ownError = rowErrors.some(Boolean) ? null : listError;

  const edit = (index: number, value: string) =>
    onChange(values.map((old, at) => (at === index ? value : old)));
  const remove = (index: number) => onChange(values.filter((_, at) => at !== index));

  return (
    <fieldset className={ownError ? 'field list-editor field-invalid' : 'field list-editor'}>
      <legend>{legend}</legend>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {values.length === 0 ? <p className="muted list-empty">None.</p> : null}
      {values.map((value, index) => {
        const rowError = rowErrors[index];
        const label = `${itemLabel} ${index + 1}`;
        return (
          <div key={index} className="list-row">
            <div className="list-row-main">
              <input
                className="input"
                aria-label={label}
                aria-invalid={rowError ? true : undefined}
                aria-describedby={hint ? hintId : undefined}
                value={value}
                placeholder={placeholder}
                spellCheck={false}
                autoComplete="off"
                onChange={(event) => edit(index, event.target.value)}
              />
              <button
                type="button"
                className="button button-ghost"
                aria-label={`Remove ${label}`}
                onClick={() => remove(index)}
              >
                Remove
              </button>
            </div>
            {rowError ? <p className="field-error">{rowError}</p> : null}
          </div>
        );
      })}
      <button type="button" className="button button-small" onClick={() => onChange([...values, ''])}>
        {addLabel ?? 'Add'}
      </button>
      {ownError ? <p className="field-error">{ownError}</p> : null}
    </fieldset>
  );
}

/** The list as the API takes it: trimmed, without empty rows. */
export const cleanList = (values: string[]): string[] => values.map((value) => value.trim()).filter(Boolean);
