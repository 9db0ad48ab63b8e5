<?php
/**
 * The shortcodes `[rtc_player]`, `[rtc_publisher]`, `[rtc_room]` and the one renderer they share
 * with the blocks: the element's tag, every attribute escaped, the server from the settings, a
 * token only for a visitor who is allowed (and only when the app requires one).
 *
 * @package RtcElements
 */

namespace RtcElements\Render;

use RtcElements\Assets;
use RtcElements\Settings;
use RtcElements\Tokens;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Each element's attributes: shortcode (and block) attribute => [element attribute, type, default].
 * Types: `string`, `bool`, `int`. The server URL and the token come from the plugin, never from here.
 */
function elements() {
	$common = array(
		'no_controls'      => array( 'no-controls', 'bool', false ),
		'no_error_overlay' => array( 'no-error-overlay', 'bool', false ),
		'lang'             => array( 'lang', 'string', '' ),
	);
	return array(
		'player'    => array(
			'tag'   => 'rtc-player',
			'what'  => 'play',
			'attrs' => array(
				'stream'   => array( 'stream-id', 'string', '' ),
				'autoplay' => array( 'autoplay', 'bool', true ),
				'muted'    => array( 'muted', 'bool', false ),
			) + $common,
		),
		'publisher' => array(
			'tag'   => 'rtc-publisher',
			'what'  => 'publish',
			'attrs' => array(
				'stream'       => array( 'stream-id', 'string', '' ),
				'name'         => array( 'stream-name', 'string', '' ),
				'auto_publish' => array( 'auto-publish', 'bool', false ),
				'no_video'     => array( 'no-video', 'bool', false ),
				'no_audio'     => array( 'no-audio', 'bool', false ),
				'max_bitrate'  => array( 'max-bitrate', 'int', 0 ),
			) + $common,
		),
		'room'      => array(
			'tag'   => 'rtc-room',
			'what'  => 'publish',
			'attrs' => array(
				'room'             => array( 'room-id', 'string', '' ),
				'mode'             => array( 'mode', 'string', '' ),
				'stream'           => array( 'stream-id', 'string', '' ),
				'name'             => array( 'stream-name', 'string', '' ),
				'layout'           => array( 'layout', 'string', '' ),
				'auto_join'        => array( 'auto-join', 'bool', false ),
				'no_video'         => array( 'no-video', 'bool', false ),
				'no_audio'         => array( 'no-audio', 'bool', false ),
				'max_video_tracks' => array( 'max-video-tracks', 'int', 0 ),
			) + $common,
		),
	);
}

function register_shortcodes() {
	foreach ( array_keys( elements() ) as $kind ) {
		add_shortcode(
			'rtc_' . $kind,
			static function ( $atts ) use ( $kind ) {
				return render( $kind, shortcode_values( $kind, is_array( $atts ) ? $atts : array() ) );
			}
		);
	}
}

/** A shortcode's attributes as typed values: `autoplay`, `autoplay="yes"`, `autoplay="off"`, `max_bitrate="800"`. */
function shortcode_values( $kind, $atts ) {
	$spec   = elements()[ $kind ]['attrs'];
	$values = array();
	foreach ( $atts as $key => $value ) {
		// A bare word (`[rtc_player autoplay]`) comes with a numeric key.
		if ( is_int( $key ) ) {
			$key   = strtolower( (string) $value );
			$value = 'true';
		}
		$key = str_replace( '-', '_', strtolower( $key ) );
		if ( ! isset( $spec[ $key ] ) ) {
			continue;
		}
		$type = $spec[ $key ][1];
		if ( 'bool' === $type ) {
			$values[ $key ] = ! in_array( strtolower( trim( (string) $value ) ), array( 'false', '0', 'no', 'off' ), true );
		} elseif ( 'int' === $type ) {
			$values[ $key ] = max( 0, (int) $value );
		} else {
			$values[ $key ] = (string) $value;
		}
	}
	return $values;
}

/** A notice in place of an element (who is not allowed, or a missing setting). */
function notice( $text, $link = '' ) {
	$html = esc_html( $text );
	if ( '' !== $link ) {
		$html .= ' <a href="' . esc_url( $link ) . '">' . esc_html__( 'Log in', 'rtc-elements' ) . '</a>';
	}
	return '<p class="rtc-elements-notice">' . $html . '</p>';
}

/**
 * The markup of one element: `$kind` player, publisher or room; `$values` typed attribute values
 * (from a shortcode or a block); `$wrapper` extra attributes for the wrapping div (a block's).
 */
function render( $kind, $values, $wrapper = '' ) {
	$element = elements()[ $kind ];
	$what    = $element['what'];
	if ( is_feed() ) {
		// A feed reader runs no script and keeps what it got: no element, and never a token.
		return '';
	}
	if ( ! Tokens\allowed( $what ) ) {
		if ( is_user_logged_in() ) {
			return notice( 'play' === $what ? __( 'You may not watch this stream.', 'rtc-elements' ) : __( 'You may not publish here.', 'rtc-elements' ) );
		}
		$permalink = get_permalink();
		return notice(
			'play' === $what ? __( 'Log in to watch this stream.', 'rtc-elements' ) : __( 'Log in to publish here.', 'rtc-elements' ),
			wp_login_url( $permalink ? $permalink : '' )
		);
	}

	$attrs = array(
		'server-url' => Settings\websocket_url(),
		'lang'       => Settings\language(),
	);
	foreach ( $element['attrs'] as $key => list( $name, $type, $default ) ) {
		$value = array_key_exists( $key, $values ) && is_scalar( $values[ $key ] ) ? $values[ $key ] : $default;
		if ( 'bool' === $type ) {
			if ( $value ) {
				$attrs[ $name ] = true;
			}
		} elseif ( 'int' === $type ) {
			if ( (int) $value > 0 ) {
				$attrs[ $name ] = (string) (int) $value;
			}
		} elseif ( '' !== (string) $value ) {
			$attrs[ $name ] = (string) $value;
		}
	}
	if ( 'room' === $kind && ! isset( $attrs['stream-name'] ) && is_user_logged_in() ) {
		$attrs['stream-name'] = wp_get_current_user()->display_name;
	}

	if ( Tokens\required( $what ) ) {
		if ( 'room' === $kind && ! isset( $attrs['stream-id'] ) ) {
			// The publish token is for the visitor's own stream in the room: give it an id now.
			$attrs['stream-id'] = 'wp' . get_current_user_id() . '-' . strtolower( wp_generate_password( 10, false ) );
		}
		$stream = 'room' === $kind ? $attrs['stream-id'] : ( isset( $attrs['stream-id'] ) ? $attrs['stream-id'] : '' );
		$token  = '' === $stream ? new \WP_Error( 'rtc_elements_token', 'no stream id' ) : Tokens\mint( $stream, $what );
		if ( is_wp_error( $token ) ) {
			// The element still renders: it shows the server's refusal in its own overlay.
			if ( defined( 'WP_DEBUG_LOG' ) && WP_DEBUG_LOG ) {
				error_log( 'rtc-elements: no token for ' . $kind . ': ' . $token->get_error_message() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions
			}
		} else {
			$attrs['token'] = $token;
		}
	}

	Assets\enqueue();
	$html = '<' . $element['tag'];
	foreach ( $attrs as $name => $value ) {
		if ( true === $value ) {
			$html .= ' ' . $name;
		} else {
			$html .= ' ' . $name . '="' . ( 'server-url' === $name ? esc_url( $value, array( 'ws', 'wss' ) ) : esc_attr( $value ) ) . '"';
		}
	}
	$html .= '></' . $element['tag'] . '>';
	$class = 'rtc-elements rtc-elements-' . $kind;
	if ( '' === $wrapper ) {
		$wrapper = 'class="' . esc_attr( $class ) . '"';
	}
	return '<div ' . $wrapper . '>' . $html . '</div>';
}
