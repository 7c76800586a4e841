/** The curve charts' x axis switch: by step, by epoch or by wall time since the run started (the client keeps it in ?xaxis=). */

const CHOICES: [value: string, label: string][] = [
  ['step', 'step'],
  ['epoch', 'epoch'],
  ['time', 'wall time'],
];

/** A select the client reads when it draws curves; charts whose points lack epochs or times stay on steps. */
export function XAxisSelect() {
  return (
    <label class="x-axis">
      x axis{' '}
      <select id="xaxis" name="xaxis">
        {CHOICES.map(([value, label]) => (
          <option value={value} selected={value === 'step'}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}
