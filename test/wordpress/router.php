<?php
/**
 * The router of `php -S` for Debian's WordPress (scripts/wordpress-test.mjs starts it): Debian's
 * wp-config.php picks /etc/wordpress/config-<RTC_WP_CONFIG>.php; `/wp-content/…` comes from the
 * content folder of the run (RTC_WP_CONTENT), whose PHP files are never served; a PHP file runs as
 * itself, a static file is served by php -S, any other path goes to index.php.
 *
 * @package RtcElements
 */

$_SERVER['WORDPRESS_CONFIG'] = getenv( 'RTC_WP_CONFIG' );
$rtc_root = '/usr/share/wordpress';
$rtc_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );

if ( 0 === strpos( $rtc_path, '/wp-content/' ) ) {
	$rtc_file = realpath( getenv( 'RTC_WP_CONTENT' ) . substr( $rtc_path, strlen( '/wp-content' ) ) );
	$rtc_ext  = $rtc_file ? strtolower( pathinfo( $rtc_file, PATHINFO_EXTENSION ) ) : '';
	$rtc_mime = array(
		'js'    => 'text/javascript; charset=utf-8',
		'css'   => 'text/css; charset=utf-8',
		'json'  => 'application/json',
		'svg'   => 'image/svg+xml',
		'png'   => 'image/png',
		'jpg'   => 'image/jpeg',
		'webp'  => 'image/webp',
		'woff2' => 'font/woff2',
		'txt'   => 'text/plain; charset=utf-8',
	);
	if ( ! $rtc_file || ! is_file( $rtc_file ) || ! isset( $rtc_mime[ $rtc_ext ] ) ) {
		http_response_code( 404 );
		return true;
	}
	header( 'Content-Type: ' . $rtc_mime[ $rtc_ext ] );
	readfile( $rtc_file );
	return true;
}

$rtc_file = $rtc_root . $rtc_path;
if ( is_dir( $rtc_file ) ) {
	$rtc_file = rtrim( $rtc_file, '/' ) . '/index.php';
}
if ( is_file( $rtc_file ) && '.php' !== substr( $rtc_file, -4 ) ) {
	return false;
}
if ( ! is_file( $rtc_file ) || false === strpos( realpath( $rtc_file ), $rtc_root . '/' ) ) {
	$rtc_file = $rtc_root . '/index.php';
}
$_SERVER['SCRIPT_FILENAME'] = $rtc_file;
$_SERVER['SCRIPT_NAME']     = substr( $rtc_file, strlen( $rtc_root ) );
$_SERVER['PHP_SELF']        = $_SERVER['SCRIPT_NAME'];
chdir( dirname( $rtc_file ) );
require $rtc_file;
