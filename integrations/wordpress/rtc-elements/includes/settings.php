<?php
/**
 * Settings → RTC Elements: the media server, the app, the default language, who may publish and
 * watch, and whether the app requires tokens. Saved through the Settings API (options.php), which
 * checks the page's nonce and the `manage_options` capability.
 *
 * @package RtcElements
 */

namespace RtcElements\Settings;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

const OPTION = 'rtc_elements_settings';
const GROUP  = 'rtc_elements';
const PAGE   = 'rtc-elements';

/** The settings with their defaults; `language` defaults to the site's locale. */
function defaults() {
	return array(
		'server_url'         => 'ws://127.0.0.1:5080',
		'app_name'           => 'LiveApp',
		'rest_url'           => '',
		'language'           => '',
		'publish_capability' => 'edit_others_posts',
		'play_capability'    => '',
		'publish_tokens'     => false,
		'play_tokens'        => false,
	);
}

/** One setting (or all of them), defaults filled in. */
function get( $key = null ) {
	$stored   = get_option( OPTION, array() );
	$settings = array_merge( defaults(), is_array( $stored ) ? $stored : array() );
	return null === $key ? $settings : $settings[ $key ];
}

/** The site's locale as a language tag: `de_DE` → `de-DE`. */
function site_language() {
	return str_replace( '_', '-', determine_locale() );
}

/** The language the elements get when a shortcode names none. */
function language() {
	$lang = get( 'language' );
	return '' !== $lang ? $lang : site_language();
}

/** The capabilities offered for "who may publish / watch", with their labels. */
function capabilities( $with_everyone ) {
	$caps = array();
	if ( $with_everyone ) {
		$caps[''] = __( 'Everyone, logged in or not', 'rtc-elements' );
	}
	return $caps + array(
		'read'              => __( 'Subscribers and up (read)', 'rtc-elements' ),
		'edit_posts'        => __( 'Contributors and up (edit_posts)', 'rtc-elements' ),
		'publish_posts'     => __( 'Authors and up (publish_posts)', 'rtc-elements' ),
		'edit_others_posts' => __( 'Editors and up (edit_others_posts)', 'rtc-elements' ),
		'manage_options'    => __( 'Administrators (manage_options)', 'rtc-elements' ),
	);
}

/** The WebSocket URL of the app: `<server_url>/<app_name>/websocket`. */
function websocket_url() {
	return untrailingslashit( get( 'server_url' ) ) . '/' . rawurlencode( get( 'app_name' ) ) . '/websocket';
}

/** The app's REST API base as this WordPress server reaches it: the setting, or the server URL in http(s). */
function rest_base() {
	$rest = get( 'rest_url' );
	if ( '' === $rest ) {
		$rest = preg_replace( '#^ws(s?)://#i', 'http$1://', untrailingslashit( get( 'server_url' ) ) );
	}
	return untrailingslashit( $rest ) . '/' . rawurlencode( get( 'app_name' ) ) . '/rest/v2';
}

/** Cleans what the form sent; a bad value keeps the one saved before and says so. */
function sanitize( $input ) {
	$old = get();
	// options.php has unslashed the form already.
	$in  = is_array( $input ) ? $input : array();
	$out = $old;

	$url = isset( $in['server_url'] ) ? trim( (string) $in['server_url'] ) : '';
	if ( preg_match( '#^wss?://[^\s/?\#]+$#i', untrailingslashit( $url ) ) ) {
		$out['server_url'] = esc_url_raw( untrailingslashit( $url ), array( 'ws', 'wss' ) );
	} else {
		add_settings_error( OPTION, 'server_url', __( 'The server URL must look like wss://media.example.com:5443 (no path).', 'rtc-elements' ) );
	}

	$app = isset( $in['app_name'] ) ? trim( (string) $in['app_name'] ) : '';
	if ( preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $app ) ) {
		$out['app_name'] = $app;
	} else {
		add_settings_error( OPTION, 'app_name', __( 'The app name may use only A-Z a-z 0-9 _ -.', 'rtc-elements' ) );
	}

	$rest = isset( $in['rest_url'] ) ? trim( (string) $in['rest_url'] ) : '';
	if ( '' === $rest || preg_match( '#^https?://[^\s/?\#]+$#i', untrailingslashit( $rest ) ) ) {
		$out['rest_url'] = '' === $rest ? '' : esc_url_raw( untrailingslashit( $rest ), array( 'http', 'https' ) );
	} else {
		add_settings_error( OPTION, 'rest_url', __( 'The REST URL must look like https://media.example.com:5443 (no path), or be empty.', 'rtc-elements' ) );
	}

	$lang = isset( $in['language'] ) ? trim( (string) $in['language'] ) : '';
	if ( '' === $lang || preg_match( '/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/', $lang ) ) {
		$out['language'] = $lang;
	} else {
		add_settings_error( OPTION, 'language', __( 'The language must be a language tag such as de or pt-BR, or empty.', 'rtc-elements' ) );
	}

	foreach ( array( 'publish_capability' => false, 'play_capability' => true ) as $key => $everyone ) {
		$cap = isset( $in[ $key ] ) ? (string) $in[ $key ] : '';
		if ( array_key_exists( $cap, capabilities( $everyone ) ) ) {
			$out[ $key ] = $cap;
		}
	}
	$out['publish_tokens'] = ! empty( $in['publish_tokens'] );
	$out['play_tokens']    = ! empty( $in['play_tokens'] );
	return $out;
}

/** Hooks of the admin side. */
function hooks() {
	add_action( 'admin_init', __NAMESPACE__ . '\\register' );
	add_action( 'admin_menu', __NAMESPACE__ . '\\menu' );
}

function register() {
	register_setting(
		GROUP,
		OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => __NAMESPACE__ . '\\sanitize',
			'default'           => defaults(),
		)
	);
	add_settings_section( 'rtc_elements_server', __( 'Media server', 'rtc-elements' ), '__return_false', PAGE );
	add_settings_section( 'rtc_elements_access', __( 'Who may publish and watch', 'rtc-elements' ), '__return_false', PAGE );
	$fields = array(
		'server_url'         => array( __( 'Server WebSocket URL', 'rtc-elements' ), 'rtc_elements_server', __( 'The Ant Media Server as browsers reach it, e.g. wss://media.example.com:5443. The elements connect to <server>/<app>/websocket.', 'rtc-elements' ) ),
		'app_name'           => array( __( 'App name', 'rtc-elements' ), 'rtc_elements_server', __( 'The AMS application, e.g. LiveApp or WebRTCAppEE.', 'rtc-elements' ) ),
		'rest_url'           => array( __( 'REST URL (optional)', 'rtc-elements' ), 'rtc_elements_server', __( 'The server as this WordPress server reaches it, e.g. http://10.0.0.5:5080, when it differs from the WebSocket URL. Used only to mint tokens; the app\'s remoteAllowedCIDR must allow this server\'s address.', 'rtc-elements' ) ),
		'language'           => array( __( 'Default language', 'rtc-elements' ), 'rtc_elements_server', __( 'A language tag such as de or pt-BR; empty: the site\'s language.', 'rtc-elements' ) ),
		'publish_capability' => array( __( 'Who may publish and join rooms', 'rtc-elements' ), 'rtc_elements_access', '' ),
		'play_capability'    => array( __( 'Who may watch', 'rtc-elements' ), 'rtc_elements_access', '' ),
		'publish_tokens'     => array( __( 'The app requires publish tokens', 'rtc-elements' ), 'rtc_elements_access', __( 'publishTokenControlEnabled: the plugin mints a one-time publish token for each allowed visitor.', 'rtc-elements' ) ),
		'play_tokens'        => array( __( 'The app requires play tokens', 'rtc-elements' ), 'rtc_elements_access', __( 'playTokenControlEnabled: the plugin mints a one-time play token for each allowed visitor.', 'rtc-elements' ) ),
	);
	foreach ( $fields as $key => list( $label, $section, $help ) ) {
		add_settings_field(
			'rtc_elements_' . $key,
			$label,
			__NAMESPACE__ . '\\field',
			PAGE,
			$section,
			array(
				'key'       => $key,
				'help'      => $help,
				'label_for' => 'rtc_elements_' . $key,
			)
		);
	}
}

/** One field of the form. */
function field( $args ) {
	$key   = $args['key'];
	$id    = 'rtc_elements_' . $key;
	$name  = OPTION . '[' . $key . ']';
	$value = get( $key );
	if ( 'publish_capability' === $key || 'play_capability' === $key ) {
		printf( '<select id="%s" name="%s">', esc_attr( $id ), esc_attr( $name ) );
		foreach ( capabilities( 'play_capability' === $key ) as $cap => $label ) {
			printf( '<option value="%s"%s>%s</option>', esc_attr( $cap ), selected( $value, $cap, false ), esc_html( $label ) );
		}
		echo '</select>';
	} elseif ( 'publish_tokens' === $key || 'play_tokens' === $key ) {
		printf( '<input type="checkbox" id="%s" name="%s" value="1"%s>', esc_attr( $id ), esc_attr( $name ), checked( (bool) $value, true, false ) );
	} else {
		$placeholder = 'language' === $key ? site_language() : '';
		printf( '<input type="text" class="regular-text" id="%s" name="%s" value="%s" placeholder="%s">', esc_attr( $id ), esc_attr( $name ), esc_attr( $value ), esc_attr( $placeholder ) );
	}
	if ( '' !== $args['help'] ) {
		printf( '<p class="description">%s</p>', esc_html( $args['help'] ) );
	}
}

function menu() {
	add_options_page( __( 'RTC Elements', 'rtc-elements' ), __( 'RTC Elements', 'rtc-elements' ), 'manage_options', PAGE, __NAMESPACE__ . '\\page' );
}

function page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html__( 'RTC Elements', 'rtc-elements' ) . '</h1>';
	echo '<form method="post" action="' . esc_url( admin_url( 'options.php' ) ) . '">';
	settings_fields( GROUP );
	do_settings_sections( PAGE );
	submit_button();
	echo '</form></div>';
}
