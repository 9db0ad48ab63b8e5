<?php
/**
 * Brings the test site to a known state, from scratch or over an earlier run (scripts/wordpress-test.mjs
 * runs it with php-cli): WordPress installed (wp_install, as wp-cli would), the users, the theme,
 * the plugin activated, its settings removed (defaults), the posts by slug. Prints JSON: the posts'
 * ids. `php setup.php uninstall` instead runs the plugin's uninstall as WordPress does when the plugin
 * is deleted, and prints whether its option was there before and after.
 *
 * Environment: RTC_WP_CONFIG, RTC_WP_HOST (127.0.0.1:PORT), RTC_WP_PASSWORD.
 *
 * @package RtcElements
 */

$_SERVER['WORDPRESS_CONFIG'] = getenv( 'RTC_WP_CONFIG' );
$_SERVER['HTTP_HOST']        = getenv( 'RTC_WP_HOST' );
$_SERVER['REQUEST_URI']      = '/';
define( 'WP_INSTALLING', true );
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

if ( 'uninstall' === ( $argv[1] ?? '' ) ) {
	$rtc_before = false !== get_option( 'rtc_elements_settings' );
	uninstall_plugin( 'rtc-elements/rtc-elements.php' );
	echo wp_json_encode(
		array(
			'before' => $rtc_before,
			'after'  => false !== get_option( 'rtc_elements_settings' ),
		)
	);
	exit( 0 );
}

$rtc_password = getenv( 'RTC_WP_PASSWORD' );
if ( ! is_blog_installed() ) {
	wp_install( 'RTC Elements test', 'admin', 'admin@example.invalid', false, '', $rtc_password );
}
$rtc_users = array(
	'admin'      => 'administrator',
	'editor'     => 'editor',
	'subscriber' => 'subscriber',
);
foreach ( $rtc_users as $rtc_login => $rtc_role ) {
	$rtc_user = get_user_by( 'login', $rtc_login );
	$rtc_data = array(
		'user_login'   => $rtc_login,
		'user_pass'    => $rtc_password,
		'user_email'   => $rtc_login . '@example.invalid',
		'display_name' => ucfirst( $rtc_login ),
		'role'         => $rtc_role,
	);
	if ( $rtc_user ) {
		$rtc_data['ID'] = $rtc_user->ID;
		wp_update_user( $rtc_data );
	} else {
		wp_insert_user( $rtc_data );
	}
}
if ( is_dir( get_theme_root() . '/twentytwentythree' ) ) {
	switch_theme( 'twentytwentythree' );
}
$rtc_activated = activate_plugin( 'rtc-elements/rtc-elements.php' );
if ( is_wp_error( $rtc_activated ) ) {
	fwrite( STDERR, 'activate_plugin: ' . $rtc_activated->get_error_message() . "\n" );
	exit( 1 );
}
delete_option( 'rtc_elements_settings' );

// As the administrator (unfiltered_html), so that the posts keep the markup the tests put in them.
wp_set_current_user( 1 );
$rtc_posts = json_decode( (string) file_get_contents( 'php://stdin' ), true );
$rtc_ids   = array();
foreach ( $rtc_posts as $rtc_slug => $rtc_content ) {
	$rtc_existing = get_page_by_path( $rtc_slug, OBJECT, 'post' );
	$rtc_ids[ $rtc_slug ] = wp_insert_post(
		array(
			'ID'           => $rtc_existing ? $rtc_existing->ID : 0,
			'post_name'    => $rtc_slug,
			'post_title'   => $rtc_slug,
			'post_content' => wp_slash( $rtc_content ),
			'post_status'  => 'publish',
			'post_type'    => 'post',
			'post_author'  => 1,
		),
		true
	);
	if ( is_wp_error( $rtc_ids[ $rtc_slug ] ) ) {
		fwrite( STDERR, $rtc_slug . ': ' . $rtc_ids[ $rtc_slug ]->get_error_message() . "\n" );
		exit( 1 );
	}
}
echo wp_json_encode( array( 'posts' => $rtc_ids ) );
