// Registers <rtc-publisher>, <rtc-player>, <rtc-room> and <rtc-error-overlay>, and brings their
// template typings (GlobalComponents).
import 'rtc-elements/vue';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
