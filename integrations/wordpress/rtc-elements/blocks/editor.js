// The blocks of RTC Elements in the block editor: plain JS on the editor's globals (no build step).
// Each block's attributes come from the plugin (window.rtcElementsBlocks, the same table as the
// shortcodes); the page renders on the server (save() is null). In the editor a block shows a
// preview card (what it will show, and its settings), and the settings in the sidebar.
(function (wp, blocks) {
  if (!wp || !wp.blocks || !blocks) return;
  const el = wp.element.createElement;
  const { __ } = wp.i18n;
  const { InspectorControls, useBlockProps } = wp.blockEditor;
  const { PanelBody, TextControl, ToggleControl, SelectControl, Placeholder } = wp.components;

  const icons = { player: 'video-alt3', publisher: 'format-video', room: 'groups' };
  const labels = {
    stream: __('Stream id', 'rtc-elements'),
    room: __('Room id', 'rtc-elements'),
    name: __('Name shown to others', 'rtc-elements'),
    autoplay: __('Play on load', 'rtc-elements'),
    muted: __('Muted', 'rtc-elements'),
    auto_publish: __('Publish on load', 'rtc-elements'),
    auto_join: __('Join on load', 'rtc-elements'),
    no_video: __('No camera', 'rtc-elements'),
    no_audio: __('No microphone', 'rtc-elements'),
    no_controls: __('Hide the controls', 'rtc-elements'),
    no_error_overlay: __('Hide the error overlay', 'rtc-elements'),
    max_bitrate: __('Video bitrate cap (kbps, 0: none)', 'rtc-elements'),
    max_video_tracks: __('Remote videos at most (0: all)', 'rtc-elements'),
    lang: __('Language (empty: the default)', 'rtc-elements'),
    mode: __('Room mode', 'rtc-elements'),
    layout: __('Layout', 'rtc-elements'),
  };
  const choices = {
    mode: [
      { label: __('Multitrack (default)', 'rtc-elements'), value: '' },
      { label: 'Legacy', value: 'legacy' },
      { label: 'P2P', value: 'p2p' },
    ],
    layout: [
      { label: __('Grid (default)', 'rtc-elements'), value: '' },
      { label: __('Speaker', 'rtc-elements'), value: 'speaker' },
    ],
  };

  /** One control of the sidebar for attribute `key` of type `type`. */
  function control(key, type, props) {
    const value = props.attributes[key];
    const set = (v) => props.setAttributes({ [key]: v });
    const label = labels[key] || key;
    if (choices[key]) return el(SelectControl, { key, label, value, options: choices[key], onChange: set });
    if (type === 'boolean') return el(ToggleControl, { key, label, checked: !!value, onChange: set });
    if (type === 'number')
      return el(TextControl, { key, label, type: 'number', min: 0, value: String(value || 0), onChange: (v) => set(Math.max(0, parseInt(v, 10) || 0)) });
    return el(TextControl, { key, label, value: value || '', onChange: set });
  }

  /** The preview card: the element's kind, its stream or room, and the switches that are on. */
  function preview(kind, spec, props) {
    const a = props.attributes;
    const target = kind === 'room' ? a.room : a.stream;
    const on = Object.keys(spec.attributes).filter((k) => spec.attributes[k].type === 'boolean' && a[k]);
    const lines = [
      el(
        'p',
        { key: 'target' },
        target
          ? (kind === 'room' ? __('Room: ', 'rtc-elements') : __('Stream: ', 'rtc-elements')) + target
          : __('Set the stream or room in the block settings.', 'rtc-elements'),
      ),
    ];
    if (on.length) lines.push(el('p', { key: 'on' }, on.map((k) => labels[k] || k).join(' · ')));
    return el(Placeholder, { icon: icons[kind], label: spec.title, className: 'rtc-elements-preview' }, lines);
  }

  Object.keys(blocks).forEach((kind) => {
    const spec = blocks[kind];
    wp.blocks.registerBlockType('rtc-elements/' + kind, {
      apiVersion: 2,
      title: spec.title,
      icon: icons[kind],
      category: 'embed',
      attributes: spec.attributes,
      edit: function Edit(props) {
        return el(
          'div',
          useBlockProps(),
          el(
            InspectorControls,
            null,
            el(
              PanelBody,
              { title: spec.title },
              Object.keys(spec.attributes).map((k) => control(k, spec.attributes[k].type, props)),
            ),
          ),
          preview(kind, spec, props),
        );
      },
      save: () => null,
    });
  });
})(window.wp, window.rtcElementsBlocks);
