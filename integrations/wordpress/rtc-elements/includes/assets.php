<?php
/**
 * The elements' bundle, shipped inside the plugin (`dist/rtc-elements.js` and the chunks beside it,
 * which it imports relative to its own URL): an ES module, enqueued only on a page that renders an
 * element. WordPress 6.5+ has script modules (`wp_enqueue_script_module`); older releases get a
 * classic registration whose tag the `script_loader_tag` filter turns into `type="module"`.
 *
 * @package RtcElements
 */

namespace RtcElements\Assets;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

const HANDLE = 'rtc-elements';

/** The bundle's URL, inside the plugin. */
function bundle_url() {
	return plugins_url( 'dist/rtc-elements.js', RTC_ELEMENTS_FILE );
}

function has_script_modules() {
	return function_exists( 'wp_enqueue_script_module' );
}

function register() {
	if ( has_script_modules() ) {
		wp_register_script_module( HANDLE, bundle_url(), array(), RTC_ELEMENTS_VERSION );
	} else {
		wp_register_script( HANDLE, bundle_url(), array(), RTC_ELEMENTS_VERSION, true );
		add_filter( 'script_loader_tag', __NAMESPACE__ . '\\module_tag', 10, 2 );
	}
}

/** `type="module"` on the bundle's script tag (WordPress before 6.5). */
function module_tag( $tag, $handle ) {
	if ( HANDLE !== $handle || false !== strpos( $tag, 'type="module"' ) ) {
		return $tag;
	}
	$tag = preg_replace( '/\stype=(["\'])text\/javascript\1/', '', $tag );
	return preg_replace( '/<script\b/', '<script type="module"', $tag, 1 );
}

/** Called by every element rendered: the bundle comes with the page. */
function enqueue() {
	if ( has_script_modules() ) {
		wp_enqueue_script_module( HANDLE );
	} else {
		wp_enqueue_script( HANDLE );
	}
}
