/**
 * The footer of a dialog that holds a form: "Cancel", and the submit button tied to the form by
 * its id (the footer sits outside the <form>).
 */
import type { ReactNode } from 'react';

export interface FormFooterProps {
  /** The `id` of the dialog's <form>. */
  formId: string;
  submitLabel: ReactNode;
  /** The submit button is disabled while a request runs, or while the form is incomplete. */
  disabled: boolean;
  onCancel: () => void;
}

export function FormFooter({ formId, submitLabel, disabled, onCancel }: FormFooterProps) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" form={formId} className="button button-primary" disabled={disabled}>
        {submitLabel}
      </button>
    </>
  );
}
