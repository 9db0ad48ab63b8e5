<?php
// Translations of the plugin (rtc-elements-<locale>.mo) go here; WordPress also reads wp-content/languages/plugins/.
