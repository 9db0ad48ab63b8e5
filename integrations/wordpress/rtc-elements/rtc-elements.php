<?php
/**
 * Plugin Name:       RTC Elements
 * Description:       Live WebRTC video through Ant Media Server: a publisher, a player and a conference room as shortcodes and blocks.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * License:           MIT
 * Text Domain:       rtc-elements
 * Domain Path:       /languages
 *
 * @package RtcElements
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'RTC_ELEMENTS_VERSION', '0.1.0' );
define( 'RTC_ELEMENTS_FILE', __FILE__ );
define( 'RTC_ELEMENTS_DIR', plugin_dir_path( __FILE__ ) );

require_once RTC_ELEMENTS_DIR . 'includes/settings.php';
require_once RTC_ELEMENTS_DIR . 'includes/tokens.php';
require_once RTC_ELEMENTS_DIR . 'includes/assets.php';
require_once RTC_ELEMENTS_DIR . 'includes/render.php';
require_once RTC_ELEMENTS_DIR . 'includes/blocks.php';

add_action(
	'init',
	static function () {
		load_plugin_textdomain( 'rtc-elements', false, dirname( plugin_basename( RTC_ELEMENTS_FILE ) ) . '/languages' );
		RtcElements\Assets\register();
		RtcElements\Render\register_shortcodes();
		RtcElements\Blocks\register();
	}
);

if ( is_admin() ) {
	RtcElements\Settings\hooks();
}
