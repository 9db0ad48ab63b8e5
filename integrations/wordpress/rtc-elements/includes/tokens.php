<?php
/**
 * One-time tokens, minted on the server side through the AMS REST API
 * (`GET <app>/rest/v2/broadcasts/<id>/token?expireDate=…&type=publish|play`), only for a visitor
 * the settings allow, so that no token reaches the page of anyone else. A stream that has no
 * broadcast yet is created first (`POST broadcasts/create`).
 *
 * @package RtcElements
 */

namespace RtcElements\Tokens;

use RtcElements\Settings;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** How long a minted token stays valid (seconds); filter `rtc_elements_token_lifetime`. */
function lifetime() {
	return max( 60, (int) apply_filters( 'rtc_elements_token_lifetime', HOUR_IN_SECONDS ) );
}

/** Whether the current visitor may do `$what` (`publish` or `play`). */
function allowed( $what ) {
	$cap = Settings\get( 'publish' === $what ? 'publish_capability' : 'play_capability' );
	return '' === $cap ? true : current_user_can( $cap );
}

/** Whether the app needs a token to `$what`. */
function required( $what ) {
	return (bool) Settings\get( 'publish' === $what ? 'publish_tokens' : 'play_tokens' );
}

/** One REST call; the decoded JSON and the status, or a WP_Error. */
function call( $method, $path, $body = null ) {
	$args = array(
		'method'  => $method,
		'timeout' => 5,
		'headers' => array( 'Accept' => 'application/json' ),
	);
	if ( null !== $body ) {
		$args['headers']['Content-Type'] = 'application/json';
		$args['body']                    = wp_json_encode( $body );
	}
	$response = wp_remote_request( Settings\rest_base() . $path, $args );
	if ( is_wp_error( $response ) ) {
		return $response;
	}
	return array(
		'status' => (int) wp_remote_retrieve_response_code( $response ),
		'json'   => json_decode( wp_remote_retrieve_body( $response ), true ),
	);
}

/**
 * A one-time `$type` token for `$stream_id`, or a WP_Error. Call it only for an allowed visitor.
 */
function mint( $stream_id, $type ) {
	$path  = '/broadcasts/' . rawurlencode( $stream_id ) . '/token?' . http_build_query(
		array(
			'expireDate' => time() + lifetime(),
			'type'       => $type,
		)
	);
	$reply = call( 'GET', $path );
	if ( ! is_wp_error( $reply ) && 404 === $reply['status'] ) {
		// No broadcast with that id yet: create it, then ask again (409: someone else just did).
		$created = call( 'POST', '/broadcasts/create', array( 'streamId' => $stream_id ) );
		if ( is_wp_error( $created ) ) {
			return $created;
		}
		$reply = call( 'GET', $path );
	}
	if ( is_wp_error( $reply ) ) {
		return $reply;
	}
	if ( 200 !== $reply['status'] || ! is_array( $reply['json'] ) || empty( $reply['json']['tokenId'] ) || ! is_string( $reply['json']['tokenId'] ) ) {
		return new \WP_Error( 'rtc_elements_token', sprintf( 'the media server answered %d to the token request', $reply['status'] ) );
	}
	// A page holding a token must not be cached and served to someone else.
	if ( ! defined( 'DONOTCACHEPAGE' ) ) {
		define( 'DONOTCACHEPAGE', true );
	}
	return $reply['json']['tokenId'];
}
