import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/** A drop zone with a real file input beside it (the keyboard's way in). */
export function FileDrop(props: { accept: string; label: string; onFile: (file: File) => void; children?: ComponentChildren }) {
  const [over, setOver] = useState(false);
  return (
    <div
      class={over ? 'dropzone over' : 'dropzone'}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer?.files[0];
        if (file) props.onFile(file);
      }}
    >
      {props.children}
      <label class="button">
        {props.label}
        <input
          class="visually-hidden"
          type="file"
          accept={props.accept}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) props.onFile(file);
          }}
        />
      </label>
    </div>
  );
}
