/** Browser-level permission changes through the DevTools protocol (a wtr server command). */
import { executeServerCommand } from '@web/test-runner-commands';

export type MediaPermission = 'camera' | 'microphone';

/** Grants or denies exactly `permissions` for the test page's origin (earlier settings are cleared). */
export const setPermissions = (permissions: MediaPermission[], setting: 'granted' | 'denied'): Promise<unknown> =>
  executeServerCommand('rtc-server', { action: 'set-permission', permissions, setting });

export const setMediaPermissions = (setting: 'granted' | 'denied'): Promise<unknown> => setPermissions(['camera', 'microphone'], setting);
