// Registers <rtc-publisher>, <rtc-player>, <rtc-room> and <rtc-error-overlay>, and brings their
// markup typings (svelteHTML).
import 'rtc-elements/svelte';
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
