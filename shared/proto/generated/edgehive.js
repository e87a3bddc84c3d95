/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $Boolean = $util.global.Boolean, $String = $util.global.String, $Number = $util.global.Number, $isFinite = $util.global.isFinite, $Array = $util.global.Array, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const edgehive = $root.edgehive = (() => {

    /**
     * Namespace edgehive.
     * @exports edgehive
     * @namespace
     */
    const edgehive = {};

    edgehive.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof edgehive
         * @namespace
         */
        const v1 = {};

        v1.DeviceStatus = (function() {

            /**
             * Properties of a DeviceStatus.
             * @typedef {Object} edgehive.v1.DeviceStatus.$Properties
             * @property {boolean|null} [online] DeviceStatus online
             * @property {string|null} [agentVersion] DeviceStatus agentVersion
             * @property {string|null} [profile] DeviceStatus profile
             * @property {string|null} [activeBundle] DeviceStatus activeBundle
             * @property {number|null} [tsMs] DeviceStatus tsMs
             * @property {number|null} [startedMs] DeviceStatus startedMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DeviceStatus.
             * @memberof edgehive.v1
             * @interface IDeviceStatus
             * @augments edgehive.v1.DeviceStatus.$Properties
             * @deprecated Use edgehive.v1.DeviceStatus.$Properties instead.
             */

            /**
             * Shape of a DeviceStatus.
             * @typedef {edgehive.v1.DeviceStatus.$Properties} edgehive.v1.DeviceStatus.$Shape
             */

            /**
             * Constructs a new DeviceStatus.
             * @memberof edgehive.v1
             * @classdesc Represents a DeviceStatus.
             * @constructor
             * @param {edgehive.v1.DeviceStatus.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DeviceStatus = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * DeviceStatus online.
             * @member {boolean} online
             * @memberof edgehive.v1.DeviceStatus
             * @instance
             */
            DeviceStatus.prototype.online = false;

            /**
             * DeviceStatus agentVersion.
             * @member {string} agentVersion
             * @memberof edgehive.v1.DeviceStatus
             * @instance
             */
            DeviceStatus.prototype.agentVersion = "";

            /**
             * DeviceStatus profile.
             * @member {string} profile
             * @memberof edgehive.v1.DeviceStatus
             * @instance
             */
            DeviceStatus.prototype.profile = "";

            /**
             * DeviceStatus activeBundle.
             * @member {string} activeBundle
             * @memberof edgehive.v1.DeviceStatus
             * @instance
             */
            DeviceStatus.prototype.activeBundle = "";

            /**
             * DeviceStatus tsMs.
             * @member {number} tsMs
             * @memberof edgehive.v1.DeviceStatus
             * @instance
             */
            DeviceStatus.prototype.tsMs = 0;

            /**
             * DeviceStatus startedMs.
             * @member {number} startedMs
             * @memberof edgehive.v1.DeviceStatus
             * @instance
             */
            DeviceStatus.prototype.startedMs = 0;

            /**
             * Creates a new DeviceStatus instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.DeviceStatus
             * @static
             * @param {edgehive.v1.DeviceStatus.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.DeviceStatus} DeviceStatus instance
             * @type {{
             *   (properties: edgehive.v1.DeviceStatus.$Shape): edgehive.v1.DeviceStatus & edgehive.v1.DeviceStatus.$Shape;
             *   (properties?: edgehive.v1.DeviceStatus.$Properties): edgehive.v1.DeviceStatus;
             * }}
             */
            DeviceStatus.create = function(properties) {
                return new DeviceStatus(properties);
            };

            /**
             * Encodes the specified DeviceStatus message. Does not implicitly {@link edgehive.v1.DeviceStatus.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.DeviceStatus
             * @static
             * @param {edgehive.v1.DeviceStatus.$Properties} m DeviceStatus message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DeviceStatus.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.online != null && $Object.hasOwnProperty.call(m, "online") && m.online !== false)
                    w.uint32(/* id 1, wireType 0 =*/8).bool(m.online);
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion") && m.agentVersion !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.agentVersion);
                if (m.profile != null && $Object.hasOwnProperty.call(m, "profile") && m.profile !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.profile);
                if (m.activeBundle != null && $Object.hasOwnProperty.call(m, "activeBundle") && m.activeBundle !== "")
                    w.uint32(/* id 4, wireType 2 =*/34).string(m.activeBundle);
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs") && !$Object.is(m.tsMs, 0))
                    w.uint32(/* id 5, wireType 1 =*/41).double(m.tsMs);
                if (m.startedMs != null && $Object.hasOwnProperty.call(m, "startedMs") && !$Object.is(m.startedMs, 0))
                    w.uint32(/* id 6, wireType 1 =*/49).double(m.startedMs);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a DeviceStatus message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.DeviceStatus
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.DeviceStatus & edgehive.v1.DeviceStatus.$Shape} DeviceStatus
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DeviceStatus.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.DeviceStatus();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.online = v;
                            else
                                delete m.online;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.agentVersion = v;
                            else
                                delete m.agentVersion;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.profile = v;
                            else
                                delete m.profile;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.activeBundle = v;
                            else
                                delete m.activeBundle;
                            continue;
                        }
                    case 5: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.tsMs = v;
                            else
                                delete m.tsMs;
                            continue;
                        }
                    case 6: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.startedMs = v;
                            else
                                delete m.startedMs;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a DeviceStatus message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.DeviceStatus
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.DeviceStatus} DeviceStatus
             */
            DeviceStatus.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.DeviceStatus)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.DeviceStatus: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.DeviceStatus();
                if (d.online != null) {
                    if (d.online) {
                        m.online = $Boolean(d.online);
                    }
                }
                if (d.agentVersion != null) {
                    if (typeof d.agentVersion !== "string" || d.agentVersion.length) {
                        m.agentVersion = $String(d.agentVersion);
                    }
                }
                if (d.profile != null) {
                    if (typeof d.profile !== "string" || d.profile.length) {
                        m.profile = $String(d.profile);
                    }
                }
                if (d.activeBundle != null) {
                    if (typeof d.activeBundle !== "string" || d.activeBundle.length) {
                        m.activeBundle = $String(d.activeBundle);
                    }
                }
                if (d.tsMs != null) {
                    if (!$Object.is($Number(d.tsMs), 0)) {
                        m.tsMs = $Number(d.tsMs);
                    }
                }
                if (d.startedMs != null) {
                    if (!$Object.is($Number(d.startedMs), 0)) {
                        m.startedMs = $Number(d.startedMs);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a DeviceStatus message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.DeviceStatus
             * @static
             * @param {edgehive.v1.DeviceStatus} m DeviceStatus
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            DeviceStatus.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.online = false;
                    d.agentVersion = "";
                    d.profile = "";
                    d.activeBundle = "";
                    d.tsMs = 0;
                    d.startedMs = 0;
                }
                if (m.online != null && $Object.hasOwnProperty.call(m, "online")) {
                    d.online = m.online;
                }
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion")) {
                    d.agentVersion = m.agentVersion;
                }
                if (m.profile != null && $Object.hasOwnProperty.call(m, "profile")) {
                    d.profile = m.profile;
                }
                if (m.activeBundle != null && $Object.hasOwnProperty.call(m, "activeBundle")) {
                    d.activeBundle = m.activeBundle;
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    d.tsMs = o.json && !$isFinite(m.tsMs) ? $String(m.tsMs) : m.tsMs;
                }
                if (m.startedMs != null && $Object.hasOwnProperty.call(m, "startedMs")) {
                    d.startedMs = o.json && !$isFinite(m.startedMs) ? $String(m.startedMs) : m.startedMs;
                }
                return d;
            };

            /**
             * Converts this DeviceStatus to JSON.
             * @function toJSON
             * @memberof edgehive.v1.DeviceStatus
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            DeviceStatus.prototype.toJSON = function() {
                return DeviceStatus.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for DeviceStatus
             * @function getTypeUrl
             * @memberof edgehive.v1.DeviceStatus
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            DeviceStatus.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.DeviceStatus";
            };

            return DeviceStatus;
        })();

        v1.Reading = (function() {

            /**
             * Properties of a Reading.
             * @typedef {Object} edgehive.v1.Reading.$Properties
             * @property {number|null} [tsMs] Reading tsMs
             * @property {Array.<number>|null} [values] Reading values
             * @property {Array.<number>|null} [missing] Reading missing
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Reading.
             * @memberof edgehive.v1
             * @interface IReading
             * @augments edgehive.v1.Reading.$Properties
             * @deprecated Use edgehive.v1.Reading.$Properties instead.
             */

            /**
             * Shape of a Reading.
             * @typedef {edgehive.v1.Reading.$Properties} edgehive.v1.Reading.$Shape
             */

            /**
             * Constructs a new Reading.
             * @memberof edgehive.v1
             * @classdesc Represents a Reading.
             * @constructor
             * @param {edgehive.v1.Reading.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Reading = function (p) {
                this.values = [];
                this.missing = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Reading tsMs.
             * @member {number} tsMs
             * @memberof edgehive.v1.Reading
             * @instance
             */
            Reading.prototype.tsMs = 0;

            /**
             * Reading values.
             * @member {Array.<number>} values
             * @memberof edgehive.v1.Reading
             * @instance
             */
            Reading.prototype.values = $util.emptyArray;

            /**
             * Reading missing.
             * @member {Array.<number>} missing
             * @memberof edgehive.v1.Reading
             * @instance
             */
            Reading.prototype.missing = $util.emptyArray;

            /**
             * Creates a new Reading instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.Reading
             * @static
             * @param {edgehive.v1.Reading.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.Reading} Reading instance
             * @type {{
             *   (properties: edgehive.v1.Reading.$Shape): edgehive.v1.Reading & edgehive.v1.Reading.$Shape;
             *   (properties?: edgehive.v1.Reading.$Properties): edgehive.v1.Reading;
             * }}
             */
            Reading.create = function(properties) {
                return new Reading(properties);
            };

            /**
             * Encodes the specified Reading message. Does not implicitly {@link edgehive.v1.Reading.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.Reading
             * @static
             * @param {edgehive.v1.Reading.$Properties} m Reading message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Reading.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs") && !$Object.is(m.tsMs, 0))
                    w.uint32(/* id 1, wireType 1 =*/9).double(m.tsMs);
                if (m.values != null && m.values.length) {
                    w.uint32(/* id 2, wireType 2 =*/18).doubles(m.values);
                }
                if (m.missing != null && m.missing.length) {
                    w.uint32(/* id 3, wireType 2 =*/26).uint32s(m.missing);
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Reading message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.Reading
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.Reading & edgehive.v1.Reading.$Shape} Reading
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Reading.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.Reading();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.tsMs = v;
                            else
                                delete m.tsMs;
                            continue;
                        }
                    case 2: {
                            if (u === 2) {
                                if (!(m.values && m.values.length))
                                    m.values = [];
                                r.doubles(m.values);
                                continue;
                            }
                            if (u !== 1)
                                break;
                            if (!(m.values && m.values.length))
                                m.values = [];
                            m.values.push(r.double());
                            continue;
                        }
                    case 3: {
                            if (u === 2) {
                                if (!(m.missing && m.missing.length))
                                    m.missing = [];
                                r.uint32s(m.missing);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.missing && m.missing.length))
                                m.missing = [];
                            m.missing.push(r.uint32());
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a Reading message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.Reading
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.Reading} Reading
             */
            Reading.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.Reading)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.Reading: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.Reading();
                if (d.tsMs != null) {
                    if (!$Object.is($Number(d.tsMs), 0)) {
                        m.tsMs = $Number(d.tsMs);
                    }
                }
                if (d.values) {
                    if (!$Array.isArray(d.values))
                        throw $TypeError(".edgehive.v1.Reading.values: array expected");
                    m.values = $Array(d.values.length);
                    for (var i = 0; i < d.values.length; ++i) {
                        m.values[i] = $Number(d.values[i]);
                    }
                }
                if (d.missing) {
                    if (!$Array.isArray(d.missing))
                        throw $TypeError(".edgehive.v1.Reading.missing: array expected");
                    m.missing = $Array(d.missing.length);
                    for (var i = 0; i < d.missing.length; ++i) {
                        m.missing[i] = d.missing[i] >>> 0;
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a Reading message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.Reading
             * @static
             * @param {edgehive.v1.Reading} m Reading
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Reading.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.values = [];
                    d.missing = [];
                }
                if (o.defaults) {
                    d.tsMs = 0;
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    d.tsMs = o.json && !$isFinite(m.tsMs) ? $String(m.tsMs) : m.tsMs;
                }
                if (m.values && m.values.length) {
                    d.values = $Array(m.values.length);
                    for (var j = 0; j < m.values.length; ++j) {
                        d.values[j] = o.json && !$isFinite(m.values[j]) ? $String(m.values[j]) : m.values[j];
                    }
                }
                if (m.missing && m.missing.length) {
                    d.missing = $Array(m.missing.length);
                    for (var j = 0; j < m.missing.length; ++j) {
                        d.missing[j] = m.missing[j];
                    }
                }
                return d;
            };

            /**
             * Converts this Reading to JSON.
             * @function toJSON
             * @memberof edgehive.v1.Reading
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Reading.prototype.toJSON = function() {
                return Reading.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Reading
             * @function getTypeUrl
             * @memberof edgehive.v1.Reading
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Reading.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.Reading";
            };

            return Reading;
        })();

        v1.TelemetryBatch = (function() {

            /**
             * Properties of a TelemetryBatch.
             * @typedef {Object} edgehive.v1.TelemetryBatch.$Properties
             * @property {string|null} [stream] TelemetryBatch stream
             * @property {number|null} [firstSeq] TelemetryBatch firstSeq
             * @property {Array.<string>|null} [features] TelemetryBatch features
             * @property {Array.<edgehive.v1.Reading.$Properties>|null} [readings] TelemetryBatch readings
             * @property {number|null} [droppedTotal] TelemetryBatch droppedTotal
             * @property {number|null} [backlog] TelemetryBatch backlog
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a TelemetryBatch.
             * @memberof edgehive.v1
             * @interface ITelemetryBatch
             * @augments edgehive.v1.TelemetryBatch.$Properties
             * @deprecated Use edgehive.v1.TelemetryBatch.$Properties instead.
             */

            /**
             * Shape of a TelemetryBatch.
             * @typedef {edgehive.v1.TelemetryBatch.$Properties} edgehive.v1.TelemetryBatch.$Shape
             */

            /**
             * Constructs a new TelemetryBatch.
             * @memberof edgehive.v1
             * @classdesc Represents a TelemetryBatch.
             * @constructor
             * @param {edgehive.v1.TelemetryBatch.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const TelemetryBatch = function (p) {
                this.features = [];
                this.readings = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * TelemetryBatch stream.
             * @member {string} stream
             * @memberof edgehive.v1.TelemetryBatch
             * @instance
             */
            TelemetryBatch.prototype.stream = "";

            /**
             * TelemetryBatch firstSeq.
             * @member {number} firstSeq
             * @memberof edgehive.v1.TelemetryBatch
             * @instance
             */
            TelemetryBatch.prototype.firstSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * TelemetryBatch features.
             * @member {Array.<string>} features
             * @memberof edgehive.v1.TelemetryBatch
             * @instance
             */
            TelemetryBatch.prototype.features = $util.emptyArray;

            /**
             * TelemetryBatch readings.
             * @member {Array.<edgehive.v1.Reading.$Properties>} readings
             * @memberof edgehive.v1.TelemetryBatch
             * @instance
             */
            TelemetryBatch.prototype.readings = $util.emptyArray;

            /**
             * TelemetryBatch droppedTotal.
             * @member {number} droppedTotal
             * @memberof edgehive.v1.TelemetryBatch
             * @instance
             */
            TelemetryBatch.prototype.droppedTotal = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * TelemetryBatch backlog.
             * @member {number} backlog
             * @memberof edgehive.v1.TelemetryBatch
             * @instance
             */
            TelemetryBatch.prototype.backlog = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new TelemetryBatch instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.TelemetryBatch
             * @static
             * @param {edgehive.v1.TelemetryBatch.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.TelemetryBatch} TelemetryBatch instance
             * @type {{
             *   (properties: edgehive.v1.TelemetryBatch.$Shape): edgehive.v1.TelemetryBatch & edgehive.v1.TelemetryBatch.$Shape;
             *   (properties?: edgehive.v1.TelemetryBatch.$Properties): edgehive.v1.TelemetryBatch;
             * }}
             */
            TelemetryBatch.create = function(properties) {
                return new TelemetryBatch(properties);
            };

            /**
             * Encodes the specified TelemetryBatch message. Does not implicitly {@link edgehive.v1.TelemetryBatch.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.TelemetryBatch
             * @static
             * @param {edgehive.v1.TelemetryBatch.$Properties} m TelemetryBatch message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TelemetryBatch.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.stream != null && $Object.hasOwnProperty.call(m, "stream") && m.stream !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.stream);
                if (m.firstSeq != null && $Object.hasOwnProperty.call(m, "firstSeq") && (typeof m.firstSeq === "object" ? m.firstSeq.low || m.firstSeq.high : m.firstSeq !== 0))
                    w.uint32(/* id 2, wireType 0 =*/16).uint64(m.firstSeq);
                if (m.features != null && m.features.length) {
                    for (var i = 0; i < m.features.length; ++i)
                        w.uint32(/* id 3, wireType 2 =*/26).string(m.features[i]);
                }
                if (m.readings != null && m.readings.length) {
                    for (var i = 0; i < m.readings.length; ++i)
                        $root.edgehive.v1.Reading.encode(m.readings[i], w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                }
                if (m.droppedTotal != null && $Object.hasOwnProperty.call(m, "droppedTotal") && (typeof m.droppedTotal === "object" ? m.droppedTotal.low || m.droppedTotal.high : m.droppedTotal !== 0))
                    w.uint32(/* id 5, wireType 0 =*/40).uint64(m.droppedTotal);
                if (m.backlog != null && $Object.hasOwnProperty.call(m, "backlog") && (typeof m.backlog === "object" ? m.backlog.low || m.backlog.high : m.backlog !== 0))
                    w.uint32(/* id 6, wireType 0 =*/48).uint64(m.backlog);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a TelemetryBatch message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.TelemetryBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.TelemetryBatch & edgehive.v1.TelemetryBatch.$Shape} TelemetryBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TelemetryBatch.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.TelemetryBatch();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.stream = v;
                            else
                                delete m.stream;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.firstSeq = v;
                            else
                                delete m.firstSeq;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if (!(m.features && m.features.length))
                                m.features = [];
                            m.features.push(r.stringVerify());
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if (!(m.readings && m.readings.length))
                                m.readings = [];
                            m.readings.push($root.edgehive.v1.Reading.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.droppedTotal = v;
                            else
                                delete m.droppedTotal;
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.backlog = v;
                            else
                                delete m.backlog;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a TelemetryBatch message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.TelemetryBatch
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.TelemetryBatch} TelemetryBatch
             */
            TelemetryBatch.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.TelemetryBatch)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.TelemetryBatch: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.TelemetryBatch();
                if (d.stream != null) {
                    if (typeof d.stream !== "string" || d.stream.length) {
                        m.stream = $String(d.stream);
                    }
                }
                if (d.firstSeq != null) {
                    if (typeof d.firstSeq === "object" ? d.firstSeq.low || d.firstSeq.high : $Number(d.firstSeq) !== 0) {
                        if ($util.Long)
                            m.firstSeq = $util.Long.fromValue(d.firstSeq, true);
                        else if (typeof d.firstSeq === "string")
                            m.firstSeq = $parseInt(d.firstSeq, 10);
                        else if (typeof d.firstSeq === "number")
                            m.firstSeq = d.firstSeq;
                        else if (typeof d.firstSeq === "object")
                            m.firstSeq = new $util.LongBits(d.firstSeq.low >>> 0, d.firstSeq.high >>> 0).toNumber(true);
                    }
                }
                if (d.features) {
                    if (!$Array.isArray(d.features))
                        throw $TypeError(".edgehive.v1.TelemetryBatch.features: array expected");
                    m.features = $Array(d.features.length);
                    for (var i = 0; i < d.features.length; ++i) {
                        m.features[i] = $String(d.features[i]);
                    }
                }
                if (d.readings) {
                    if (!$Array.isArray(d.readings))
                        throw $TypeError(".edgehive.v1.TelemetryBatch.readings: array expected");
                    m.readings = $Array(d.readings.length);
                    for (var i = 0; i < d.readings.length; ++i) {
                        if (!$util.isObject(d.readings[i]))
                            throw $TypeError(".edgehive.v1.TelemetryBatch.readings: object expected");
                        m.readings[i] = $root.edgehive.v1.Reading.fromObject(d.readings[i], q + 1);
                    }
                }
                if (d.droppedTotal != null) {
                    if (typeof d.droppedTotal === "object" ? d.droppedTotal.low || d.droppedTotal.high : $Number(d.droppedTotal) !== 0) {
                        if ($util.Long)
                            m.droppedTotal = $util.Long.fromValue(d.droppedTotal, true);
                        else if (typeof d.droppedTotal === "string")
                            m.droppedTotal = $parseInt(d.droppedTotal, 10);
                        else if (typeof d.droppedTotal === "number")
                            m.droppedTotal = d.droppedTotal;
                        else if (typeof d.droppedTotal === "object")
                            m.droppedTotal = new $util.LongBits(d.droppedTotal.low >>> 0, d.droppedTotal.high >>> 0).toNumber(true);
                    }
                }
                if (d.backlog != null) {
                    if (typeof d.backlog === "object" ? d.backlog.low || d.backlog.high : $Number(d.backlog) !== 0) {
                        if ($util.Long)
                            m.backlog = $util.Long.fromValue(d.backlog, true);
                        else if (typeof d.backlog === "string")
                            m.backlog = $parseInt(d.backlog, 10);
                        else if (typeof d.backlog === "number")
                            m.backlog = d.backlog;
                        else if (typeof d.backlog === "object")
                            m.backlog = new $util.LongBits(d.backlog.low >>> 0, d.backlog.high >>> 0).toNumber(true);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a TelemetryBatch message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.TelemetryBatch
             * @static
             * @param {edgehive.v1.TelemetryBatch} m TelemetryBatch
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            TelemetryBatch.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.features = [];
                    d.readings = [];
                }
                if (o.defaults) {
                    d.stream = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.firstSeq = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.firstSeq = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.droppedTotal = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.droppedTotal = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.backlog = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.backlog = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (m.stream != null && $Object.hasOwnProperty.call(m, "stream")) {
                    d.stream = m.stream;
                }
                if (m.firstSeq != null && $Object.hasOwnProperty.call(m, "firstSeq")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.firstSeq = typeof m.firstSeq === "number" ? $BigInt(m.firstSeq) : $util.Long.fromBits(m.firstSeq.low >>> 0, m.firstSeq.high >>> 0, true).toBigInt();
                    else if (typeof m.firstSeq === "number")
                        d.firstSeq = o.longs === $String ? $String(m.firstSeq) : m.firstSeq;
                    else
                        d.firstSeq = o.longs === $String ? $util.Long.prototype.toString.call(m.firstSeq) : o.longs === $Number ? new $util.LongBits(m.firstSeq.low >>> 0, m.firstSeq.high >>> 0).toNumber(true) : m.firstSeq;
                }
                if (m.features && m.features.length) {
                    d.features = $Array(m.features.length);
                    for (var j = 0; j < m.features.length; ++j) {
                        d.features[j] = m.features[j];
                    }
                }
                if (m.readings && m.readings.length) {
                    d.readings = $Array(m.readings.length);
                    for (var j = 0; j < m.readings.length; ++j) {
                        d.readings[j] = $root.edgehive.v1.Reading.toObject(m.readings[j], o, q + 1);
                    }
                }
                if (m.droppedTotal != null && $Object.hasOwnProperty.call(m, "droppedTotal")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.droppedTotal = typeof m.droppedTotal === "number" ? $BigInt(m.droppedTotal) : $util.Long.fromBits(m.droppedTotal.low >>> 0, m.droppedTotal.high >>> 0, true).toBigInt();
                    else if (typeof m.droppedTotal === "number")
                        d.droppedTotal = o.longs === $String ? $String(m.droppedTotal) : m.droppedTotal;
                    else
                        d.droppedTotal = o.longs === $String ? $util.Long.prototype.toString.call(m.droppedTotal) : o.longs === $Number ? new $util.LongBits(m.droppedTotal.low >>> 0, m.droppedTotal.high >>> 0).toNumber(true) : m.droppedTotal;
                }
                if (m.backlog != null && $Object.hasOwnProperty.call(m, "backlog")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.backlog = typeof m.backlog === "number" ? $BigInt(m.backlog) : $util.Long.fromBits(m.backlog.low >>> 0, m.backlog.high >>> 0, true).toBigInt();
                    else if (typeof m.backlog === "number")
                        d.backlog = o.longs === $String ? $String(m.backlog) : m.backlog;
                    else
                        d.backlog = o.longs === $String ? $util.Long.prototype.toString.call(m.backlog) : o.longs === $Number ? new $util.LongBits(m.backlog.low >>> 0, m.backlog.high >>> 0).toNumber(true) : m.backlog;
                }
                return d;
            };

            /**
             * Converts this TelemetryBatch to JSON.
             * @function toJSON
             * @memberof edgehive.v1.TelemetryBatch
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            TelemetryBatch.prototype.toJSON = function() {
                return TelemetryBatch.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for TelemetryBatch
             * @function getTypeUrl
             * @memberof edgehive.v1.TelemetryBatch
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            TelemetryBatch.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.TelemetryBatch";
            };

            return TelemetryBatch;
        })();

        v1.InferenceEvent = (function() {

            /**
             * Properties of an InferenceEvent.
             * @typedef {Object} edgehive.v1.InferenceEvent.$Properties
             * @property {number|null} [tsMs] InferenceEvent tsMs
             * @property {string|null} [model] InferenceEvent model
             * @property {string|null} [modelVersion] InferenceEvent modelVersion
             * @property {number|null} [score] InferenceEvent score
             * @property {boolean|null} [anomaly] InferenceEvent anomaly
             * @property {string|null} [label] InferenceEvent label
             * @property {number|null} [latencyMs] InferenceEvent latencyMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an InferenceEvent.
             * @memberof edgehive.v1
             * @interface IInferenceEvent
             * @augments edgehive.v1.InferenceEvent.$Properties
             * @deprecated Use edgehive.v1.InferenceEvent.$Properties instead.
             */

            /**
             * Shape of an InferenceEvent.
             * @typedef {edgehive.v1.InferenceEvent.$Properties} edgehive.v1.InferenceEvent.$Shape
             */

            /**
             * Constructs a new InferenceEvent.
             * @memberof edgehive.v1
             * @classdesc Represents an InferenceEvent.
             * @constructor
             * @param {edgehive.v1.InferenceEvent.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const InferenceEvent = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * InferenceEvent tsMs.
             * @member {number} tsMs
             * @memberof edgehive.v1.InferenceEvent
             * @instance
             */
            InferenceEvent.prototype.tsMs = 0;

            /**
             * InferenceEvent model.
             * @member {string} model
             * @memberof edgehive.v1.InferenceEvent
             * @instance
             */
            InferenceEvent.prototype.model = "";

            /**
             * InferenceEvent modelVersion.
             * @member {string} modelVersion
             * @memberof edgehive.v1.InferenceEvent
             * @instance
             */
            InferenceEvent.prototype.modelVersion = "";

            /**
             * InferenceEvent score.
             * @member {number} score
             * @memberof edgehive.v1.InferenceEvent
             * @instance
             */
            InferenceEvent.prototype.score = 0;

            /**
             * InferenceEvent anomaly.
             * @member {boolean} anomaly
             * @memberof edgehive.v1.InferenceEvent
             * @instance
             */
            InferenceEvent.prototype.anomaly = false;

            /**
             * InferenceEvent label.
             * @member {string} label
             * @memberof edgehive.v1.InferenceEvent
             * @instance
             */
            InferenceEvent.prototype.label = "";

            /**
             * InferenceEvent latencyMs.
             * @member {number} latencyMs
             * @memberof edgehive.v1.InferenceEvent
             * @instance
             */
            InferenceEvent.prototype.latencyMs = 0;

            /**
             * Creates a new InferenceEvent instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.InferenceEvent
             * @static
             * @param {edgehive.v1.InferenceEvent.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.InferenceEvent} InferenceEvent instance
             * @type {{
             *   (properties: edgehive.v1.InferenceEvent.$Shape): edgehive.v1.InferenceEvent & edgehive.v1.InferenceEvent.$Shape;
             *   (properties?: edgehive.v1.InferenceEvent.$Properties): edgehive.v1.InferenceEvent;
             * }}
             */
            InferenceEvent.create = function(properties) {
                return new InferenceEvent(properties);
            };

            /**
             * Encodes the specified InferenceEvent message. Does not implicitly {@link edgehive.v1.InferenceEvent.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.InferenceEvent
             * @static
             * @param {edgehive.v1.InferenceEvent.$Properties} m InferenceEvent message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            InferenceEvent.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs") && !$Object.is(m.tsMs, 0))
                    w.uint32(/* id 1, wireType 1 =*/9).double(m.tsMs);
                if (m.model != null && $Object.hasOwnProperty.call(m, "model") && m.model !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.model);
                if (m.modelVersion != null && $Object.hasOwnProperty.call(m, "modelVersion") && m.modelVersion !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.modelVersion);
                if (m.score != null && $Object.hasOwnProperty.call(m, "score") && !$Object.is(m.score, 0))
                    w.uint32(/* id 4, wireType 1 =*/33).double(m.score);
                if (m.anomaly != null && $Object.hasOwnProperty.call(m, "anomaly") && m.anomaly !== false)
                    w.uint32(/* id 5, wireType 0 =*/40).bool(m.anomaly);
                if (m.label != null && $Object.hasOwnProperty.call(m, "label") && m.label !== "")
                    w.uint32(/* id 6, wireType 2 =*/50).string(m.label);
                if (m.latencyMs != null && $Object.hasOwnProperty.call(m, "latencyMs") && !$Object.is(m.latencyMs, 0))
                    w.uint32(/* id 7, wireType 1 =*/57).double(m.latencyMs);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes an InferenceEvent message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.InferenceEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.InferenceEvent & edgehive.v1.InferenceEvent.$Shape} InferenceEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            InferenceEvent.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.InferenceEvent();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.tsMs = v;
                            else
                                delete m.tsMs;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.model = v;
                            else
                                delete m.model;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.modelVersion = v;
                            else
                                delete m.modelVersion;
                            continue;
                        }
                    case 4: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.score = v;
                            else
                                delete m.score;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.anomaly = v;
                            else
                                delete m.anomaly;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.label = v;
                            else
                                delete m.label;
                            continue;
                        }
                    case 7: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.latencyMs = v;
                            else
                                delete m.latencyMs;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates an InferenceEvent message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.InferenceEvent
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.InferenceEvent} InferenceEvent
             */
            InferenceEvent.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.InferenceEvent)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.InferenceEvent: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.InferenceEvent();
                if (d.tsMs != null) {
                    if (!$Object.is($Number(d.tsMs), 0)) {
                        m.tsMs = $Number(d.tsMs);
                    }
                }
                if (d.model != null) {
                    if (typeof d.model !== "string" || d.model.length) {
                        m.model = $String(d.model);
                    }
                }
                if (d.modelVersion != null) {
                    if (typeof d.modelVersion !== "string" || d.modelVersion.length) {
                        m.modelVersion = $String(d.modelVersion);
                    }
                }
                if (d.score != null) {
                    if (!$Object.is($Number(d.score), 0)) {
                        m.score = $Number(d.score);
                    }
                }
                if (d.anomaly != null) {
                    if (d.anomaly) {
                        m.anomaly = $Boolean(d.anomaly);
                    }
                }
                if (d.label != null) {
                    if (typeof d.label !== "string" || d.label.length) {
                        m.label = $String(d.label);
                    }
                }
                if (d.latencyMs != null) {
                    if (!$Object.is($Number(d.latencyMs), 0)) {
                        m.latencyMs = $Number(d.latencyMs);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from an InferenceEvent message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.InferenceEvent
             * @static
             * @param {edgehive.v1.InferenceEvent} m InferenceEvent
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            InferenceEvent.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.tsMs = 0;
                    d.model = "";
                    d.modelVersion = "";
                    d.score = 0;
                    d.anomaly = false;
                    d.label = "";
                    d.latencyMs = 0;
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    d.tsMs = o.json && !$isFinite(m.tsMs) ? $String(m.tsMs) : m.tsMs;
                }
                if (m.model != null && $Object.hasOwnProperty.call(m, "model")) {
                    d.model = m.model;
                }
                if (m.modelVersion != null && $Object.hasOwnProperty.call(m, "modelVersion")) {
                    d.modelVersion = m.modelVersion;
                }
                if (m.score != null && $Object.hasOwnProperty.call(m, "score")) {
                    d.score = o.json && !$isFinite(m.score) ? $String(m.score) : m.score;
                }
                if (m.anomaly != null && $Object.hasOwnProperty.call(m, "anomaly")) {
                    d.anomaly = m.anomaly;
                }
                if (m.label != null && $Object.hasOwnProperty.call(m, "label")) {
                    d.label = m.label;
                }
                if (m.latencyMs != null && $Object.hasOwnProperty.call(m, "latencyMs")) {
                    d.latencyMs = o.json && !$isFinite(m.latencyMs) ? $String(m.latencyMs) : m.latencyMs;
                }
                return d;
            };

            /**
             * Converts this InferenceEvent to JSON.
             * @function toJSON
             * @memberof edgehive.v1.InferenceEvent
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            InferenceEvent.prototype.toJSON = function() {
                return InferenceEvent.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for InferenceEvent
             * @function getTypeUrl
             * @memberof edgehive.v1.InferenceEvent
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            InferenceEvent.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.InferenceEvent";
            };

            return InferenceEvent;
        })();

        v1.InferenceEvents = (function() {

            /**
             * Properties of an InferenceEvents.
             * @typedef {Object} edgehive.v1.InferenceEvents.$Properties
             * @property {number|null} [seq] InferenceEvents seq
             * @property {Array.<edgehive.v1.InferenceEvent.$Properties>|null} [events] InferenceEvents events
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an InferenceEvents.
             * @memberof edgehive.v1
             * @interface IInferenceEvents
             * @augments edgehive.v1.InferenceEvents.$Properties
             * @deprecated Use edgehive.v1.InferenceEvents.$Properties instead.
             */

            /**
             * Shape of an InferenceEvents.
             * @typedef {edgehive.v1.InferenceEvents.$Properties} edgehive.v1.InferenceEvents.$Shape
             */

            /**
             * Constructs a new InferenceEvents.
             * @memberof edgehive.v1
             * @classdesc Represents an InferenceEvents.
             * @constructor
             * @param {edgehive.v1.InferenceEvents.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const InferenceEvents = function (p) {
                this.events = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * InferenceEvents seq.
             * @member {number} seq
             * @memberof edgehive.v1.InferenceEvents
             * @instance
             */
            InferenceEvents.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * InferenceEvents events.
             * @member {Array.<edgehive.v1.InferenceEvent.$Properties>} events
             * @memberof edgehive.v1.InferenceEvents
             * @instance
             */
            InferenceEvents.prototype.events = $util.emptyArray;

            /**
             * Creates a new InferenceEvents instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.InferenceEvents
             * @static
             * @param {edgehive.v1.InferenceEvents.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.InferenceEvents} InferenceEvents instance
             * @type {{
             *   (properties: edgehive.v1.InferenceEvents.$Shape): edgehive.v1.InferenceEvents & edgehive.v1.InferenceEvents.$Shape;
             *   (properties?: edgehive.v1.InferenceEvents.$Properties): edgehive.v1.InferenceEvents;
             * }}
             */
            InferenceEvents.create = function(properties) {
                return new InferenceEvents(properties);
            };

            /**
             * Encodes the specified InferenceEvents message. Does not implicitly {@link edgehive.v1.InferenceEvents.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.InferenceEvents
             * @static
             * @param {edgehive.v1.InferenceEvents.$Properties} m InferenceEvents message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            InferenceEvents.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq") && (typeof m.seq === "object" ? m.seq.low || m.seq.high : m.seq !== 0))
                    w.uint32(/* id 1, wireType 0 =*/8).uint64(m.seq);
                if (m.events != null && m.events.length) {
                    for (var i = 0; i < m.events.length; ++i)
                        $root.edgehive.v1.InferenceEvent.encode(m.events[i], w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes an InferenceEvents message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.InferenceEvents
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.InferenceEvents & edgehive.v1.InferenceEvents.$Shape} InferenceEvents
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            InferenceEvents.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.InferenceEvents();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.seq = v;
                            else
                                delete m.seq;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if (!(m.events && m.events.length))
                                m.events = [];
                            m.events.push($root.edgehive.v1.InferenceEvent.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates an InferenceEvents message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.InferenceEvents
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.InferenceEvents} InferenceEvents
             */
            InferenceEvents.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.InferenceEvents)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.InferenceEvents: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.InferenceEvents();
                if (d.seq != null) {
                    if (typeof d.seq === "object" ? d.seq.low || d.seq.high : $Number(d.seq) !== 0) {
                        if ($util.Long)
                            m.seq = $util.Long.fromValue(d.seq, true);
                        else if (typeof d.seq === "string")
                            m.seq = $parseInt(d.seq, 10);
                        else if (typeof d.seq === "number")
                            m.seq = d.seq;
                        else if (typeof d.seq === "object")
                            m.seq = new $util.LongBits(d.seq.low >>> 0, d.seq.high >>> 0).toNumber(true);
                    }
                }
                if (d.events) {
                    if (!$Array.isArray(d.events))
                        throw $TypeError(".edgehive.v1.InferenceEvents.events: array expected");
                    m.events = $Array(d.events.length);
                    for (var i = 0; i < d.events.length; ++i) {
                        if (!$util.isObject(d.events[i]))
                            throw $TypeError(".edgehive.v1.InferenceEvents.events: object expected");
                        m.events[i] = $root.edgehive.v1.InferenceEvent.fromObject(d.events[i], q + 1);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from an InferenceEvents message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.InferenceEvents
             * @static
             * @param {edgehive.v1.InferenceEvents} m InferenceEvents
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            InferenceEvents.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.events = [];
                }
                if (o.defaults) {
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.seq = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.seq = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.seq = typeof m.seq === "number" ? $BigInt(m.seq) : $util.Long.fromBits(m.seq.low >>> 0, m.seq.high >>> 0, true).toBigInt();
                    else if (typeof m.seq === "number")
                        d.seq = o.longs === $String ? $String(m.seq) : m.seq;
                    else
                        d.seq = o.longs === $String ? $util.Long.prototype.toString.call(m.seq) : o.longs === $Number ? new $util.LongBits(m.seq.low >>> 0, m.seq.high >>> 0).toNumber(true) : m.seq;
                }
                if (m.events && m.events.length) {
                    d.events = $Array(m.events.length);
                    for (var j = 0; j < m.events.length; ++j) {
                        d.events[j] = $root.edgehive.v1.InferenceEvent.toObject(m.events[j], o, q + 1);
                    }
                }
                return d;
            };

            /**
             * Converts this InferenceEvents to JSON.
             * @function toJSON
             * @memberof edgehive.v1.InferenceEvents
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            InferenceEvents.prototype.toJSON = function() {
                return InferenceEvents.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for InferenceEvents
             * @function getTypeUrl
             * @memberof edgehive.v1.InferenceEvents
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            InferenceEvents.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.InferenceEvents";
            };

            return InferenceEvents;
        })();

        v1.FeatureDrift = (function() {

            /**
             * Properties of a FeatureDrift.
             * @typedef {Object} edgehive.v1.FeatureDrift.$Properties
             * @property {string|null} [feature] FeatureDrift feature
             * @property {number|null} [psi] FeatureDrift psi
             * @property {number|null} [ks] FeatureDrift ks
             * @property {number|null} [missingRate] FeatureDrift missingRate
             * @property {number|null} [outOfRangeRate] FeatureDrift outOfRangeRate
             * @property {boolean|null} [stuck] FeatureDrift stuck
             * @property {number|null} [samples] FeatureDrift samples
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FeatureDrift.
             * @memberof edgehive.v1
             * @interface IFeatureDrift
             * @augments edgehive.v1.FeatureDrift.$Properties
             * @deprecated Use edgehive.v1.FeatureDrift.$Properties instead.
             */

            /**
             * Shape of a FeatureDrift.
             * @typedef {edgehive.v1.FeatureDrift.$Properties} edgehive.v1.FeatureDrift.$Shape
             */

            /**
             * Constructs a new FeatureDrift.
             * @memberof edgehive.v1
             * @classdesc Represents a FeatureDrift.
             * @constructor
             * @param {edgehive.v1.FeatureDrift.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const FeatureDrift = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * FeatureDrift feature.
             * @member {string} feature
             * @memberof edgehive.v1.FeatureDrift
             * @instance
             */
            FeatureDrift.prototype.feature = "";

            /**
             * FeatureDrift psi.
             * @member {number} psi
             * @memberof edgehive.v1.FeatureDrift
             * @instance
             */
            FeatureDrift.prototype.psi = 0;

            /**
             * FeatureDrift ks.
             * @member {number} ks
             * @memberof edgehive.v1.FeatureDrift
             * @instance
             */
            FeatureDrift.prototype.ks = 0;

            /**
             * FeatureDrift missingRate.
             * @member {number} missingRate
             * @memberof edgehive.v1.FeatureDrift
             * @instance
             */
            FeatureDrift.prototype.missingRate = 0;

            /**
             * FeatureDrift outOfRangeRate.
             * @member {number} outOfRangeRate
             * @memberof edgehive.v1.FeatureDrift
             * @instance
             */
            FeatureDrift.prototype.outOfRangeRate = 0;

            /**
             * FeatureDrift stuck.
             * @member {boolean} stuck
             * @memberof edgehive.v1.FeatureDrift
             * @instance
             */
            FeatureDrift.prototype.stuck = false;

            /**
             * FeatureDrift samples.
             * @member {number} samples
             * @memberof edgehive.v1.FeatureDrift
             * @instance
             */
            FeatureDrift.prototype.samples = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new FeatureDrift instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.FeatureDrift
             * @static
             * @param {edgehive.v1.FeatureDrift.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.FeatureDrift} FeatureDrift instance
             * @type {{
             *   (properties: edgehive.v1.FeatureDrift.$Shape): edgehive.v1.FeatureDrift & edgehive.v1.FeatureDrift.$Shape;
             *   (properties?: edgehive.v1.FeatureDrift.$Properties): edgehive.v1.FeatureDrift;
             * }}
             */
            FeatureDrift.create = function(properties) {
                return new FeatureDrift(properties);
            };

            /**
             * Encodes the specified FeatureDrift message. Does not implicitly {@link edgehive.v1.FeatureDrift.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.FeatureDrift
             * @static
             * @param {edgehive.v1.FeatureDrift.$Properties} m FeatureDrift message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FeatureDrift.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.feature != null && $Object.hasOwnProperty.call(m, "feature") && m.feature !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.feature);
                if (m.psi != null && $Object.hasOwnProperty.call(m, "psi") && !$Object.is(m.psi, 0))
                    w.uint32(/* id 2, wireType 1 =*/17).double(m.psi);
                if (m.ks != null && $Object.hasOwnProperty.call(m, "ks") && !$Object.is(m.ks, 0))
                    w.uint32(/* id 3, wireType 1 =*/25).double(m.ks);
                if (m.missingRate != null && $Object.hasOwnProperty.call(m, "missingRate") && !$Object.is(m.missingRate, 0))
                    w.uint32(/* id 4, wireType 1 =*/33).double(m.missingRate);
                if (m.outOfRangeRate != null && $Object.hasOwnProperty.call(m, "outOfRangeRate") && !$Object.is(m.outOfRangeRate, 0))
                    w.uint32(/* id 5, wireType 1 =*/41).double(m.outOfRangeRate);
                if (m.stuck != null && $Object.hasOwnProperty.call(m, "stuck") && m.stuck !== false)
                    w.uint32(/* id 6, wireType 0 =*/48).bool(m.stuck);
                if (m.samples != null && $Object.hasOwnProperty.call(m, "samples") && (typeof m.samples === "object" ? m.samples.low || m.samples.high : m.samples !== 0))
                    w.uint32(/* id 7, wireType 0 =*/56).uint64(m.samples);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a FeatureDrift message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.FeatureDrift
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.FeatureDrift & edgehive.v1.FeatureDrift.$Shape} FeatureDrift
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FeatureDrift.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.FeatureDrift();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.feature = v;
                            else
                                delete m.feature;
                            continue;
                        }
                    case 2: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.psi = v;
                            else
                                delete m.psi;
                            continue;
                        }
                    case 3: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.ks = v;
                            else
                                delete m.ks;
                            continue;
                        }
                    case 4: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.missingRate = v;
                            else
                                delete m.missingRate;
                            continue;
                        }
                    case 5: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.outOfRangeRate = v;
                            else
                                delete m.outOfRangeRate;
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.stuck = v;
                            else
                                delete m.stuck;
                            continue;
                        }
                    case 7: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.samples = v;
                            else
                                delete m.samples;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a FeatureDrift message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.FeatureDrift
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.FeatureDrift} FeatureDrift
             */
            FeatureDrift.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.FeatureDrift)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.FeatureDrift: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.FeatureDrift();
                if (d.feature != null) {
                    if (typeof d.feature !== "string" || d.feature.length) {
                        m.feature = $String(d.feature);
                    }
                }
                if (d.psi != null) {
                    if (!$Object.is($Number(d.psi), 0)) {
                        m.psi = $Number(d.psi);
                    }
                }
                if (d.ks != null) {
                    if (!$Object.is($Number(d.ks), 0)) {
                        m.ks = $Number(d.ks);
                    }
                }
                if (d.missingRate != null) {
                    if (!$Object.is($Number(d.missingRate), 0)) {
                        m.missingRate = $Number(d.missingRate);
                    }
                }
                if (d.outOfRangeRate != null) {
                    if (!$Object.is($Number(d.outOfRangeRate), 0)) {
                        m.outOfRangeRate = $Number(d.outOfRangeRate);
                    }
                }
                if (d.stuck != null) {
                    if (d.stuck) {
                        m.stuck = $Boolean(d.stuck);
                    }
                }
                if (d.samples != null) {
                    if (typeof d.samples === "object" ? d.samples.low || d.samples.high : $Number(d.samples) !== 0) {
                        if ($util.Long)
                            m.samples = $util.Long.fromValue(d.samples, true);
                        else if (typeof d.samples === "string")
                            m.samples = $parseInt(d.samples, 10);
                        else if (typeof d.samples === "number")
                            m.samples = d.samples;
                        else if (typeof d.samples === "object")
                            m.samples = new $util.LongBits(d.samples.low >>> 0, d.samples.high >>> 0).toNumber(true);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a FeatureDrift message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.FeatureDrift
             * @static
             * @param {edgehive.v1.FeatureDrift} m FeatureDrift
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            FeatureDrift.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.feature = "";
                    d.psi = 0;
                    d.ks = 0;
                    d.missingRate = 0;
                    d.outOfRangeRate = 0;
                    d.stuck = false;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.samples = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.samples = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (m.feature != null && $Object.hasOwnProperty.call(m, "feature")) {
                    d.feature = m.feature;
                }
                if (m.psi != null && $Object.hasOwnProperty.call(m, "psi")) {
                    d.psi = o.json && !$isFinite(m.psi) ? $String(m.psi) : m.psi;
                }
                if (m.ks != null && $Object.hasOwnProperty.call(m, "ks")) {
                    d.ks = o.json && !$isFinite(m.ks) ? $String(m.ks) : m.ks;
                }
                if (m.missingRate != null && $Object.hasOwnProperty.call(m, "missingRate")) {
                    d.missingRate = o.json && !$isFinite(m.missingRate) ? $String(m.missingRate) : m.missingRate;
                }
                if (m.outOfRangeRate != null && $Object.hasOwnProperty.call(m, "outOfRangeRate")) {
                    d.outOfRangeRate = o.json && !$isFinite(m.outOfRangeRate) ? $String(m.outOfRangeRate) : m.outOfRangeRate;
                }
                if (m.stuck != null && $Object.hasOwnProperty.call(m, "stuck")) {
                    d.stuck = m.stuck;
                }
                if (m.samples != null && $Object.hasOwnProperty.call(m, "samples")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.samples = typeof m.samples === "number" ? $BigInt(m.samples) : $util.Long.fromBits(m.samples.low >>> 0, m.samples.high >>> 0, true).toBigInt();
                    else if (typeof m.samples === "number")
                        d.samples = o.longs === $String ? $String(m.samples) : m.samples;
                    else
                        d.samples = o.longs === $String ? $util.Long.prototype.toString.call(m.samples) : o.longs === $Number ? new $util.LongBits(m.samples.low >>> 0, m.samples.high >>> 0).toNumber(true) : m.samples;
                }
                return d;
            };

            /**
             * Converts this FeatureDrift to JSON.
             * @function toJSON
             * @memberof edgehive.v1.FeatureDrift
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            FeatureDrift.prototype.toJSON = function() {
                return FeatureDrift.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for FeatureDrift
             * @function getTypeUrl
             * @memberof edgehive.v1.FeatureDrift
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            FeatureDrift.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.FeatureDrift";
            };

            return FeatureDrift;
        })();

        v1.DriftReport = (function() {

            /**
             * Properties of a DriftReport.
             * @typedef {Object} edgehive.v1.DriftReport.$Properties
             * @property {number|null} [seq] DriftReport seq
             * @property {number|null} [tsMs] DriftReport tsMs
             * @property {string|null} [model] DriftReport model
             * @property {string|null} [modelVersion] DriftReport modelVersion
             * @property {Array.<edgehive.v1.FeatureDrift.$Properties>|null} [features] DriftReport features
             * @property {number|null} [outputJs] DriftReport outputJs
             * @property {number|null} [samples] DriftReport samples
             * @property {boolean|null} [alarm] DriftReport alarm
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DriftReport.
             * @memberof edgehive.v1
             * @interface IDriftReport
             * @augments edgehive.v1.DriftReport.$Properties
             * @deprecated Use edgehive.v1.DriftReport.$Properties instead.
             */

            /**
             * Shape of a DriftReport.
             * @typedef {edgehive.v1.DriftReport.$Properties} edgehive.v1.DriftReport.$Shape
             */

            /**
             * Constructs a new DriftReport.
             * @memberof edgehive.v1
             * @classdesc Represents a DriftReport.
             * @constructor
             * @param {edgehive.v1.DriftReport.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DriftReport = function (p) {
                this.features = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * DriftReport seq.
             * @member {number} seq
             * @memberof edgehive.v1.DriftReport
             * @instance
             */
            DriftReport.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DriftReport tsMs.
             * @member {number} tsMs
             * @memberof edgehive.v1.DriftReport
             * @instance
             */
            DriftReport.prototype.tsMs = 0;

            /**
             * DriftReport model.
             * @member {string} model
             * @memberof edgehive.v1.DriftReport
             * @instance
             */
            DriftReport.prototype.model = "";

            /**
             * DriftReport modelVersion.
             * @member {string} modelVersion
             * @memberof edgehive.v1.DriftReport
             * @instance
             */
            DriftReport.prototype.modelVersion = "";

            /**
             * DriftReport features.
             * @member {Array.<edgehive.v1.FeatureDrift.$Properties>} features
             * @memberof edgehive.v1.DriftReport
             * @instance
             */
            DriftReport.prototype.features = $util.emptyArray;

            /**
             * DriftReport outputJs.
             * @member {number} outputJs
             * @memberof edgehive.v1.DriftReport
             * @instance
             */
            DriftReport.prototype.outputJs = 0;

            /**
             * DriftReport samples.
             * @member {number} samples
             * @memberof edgehive.v1.DriftReport
             * @instance
             */
            DriftReport.prototype.samples = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DriftReport alarm.
             * @member {boolean} alarm
             * @memberof edgehive.v1.DriftReport
             * @instance
             */
            DriftReport.prototype.alarm = false;

            /**
             * Creates a new DriftReport instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.DriftReport
             * @static
             * @param {edgehive.v1.DriftReport.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.DriftReport} DriftReport instance
             * @type {{
             *   (properties: edgehive.v1.DriftReport.$Shape): edgehive.v1.DriftReport & edgehive.v1.DriftReport.$Shape;
             *   (properties?: edgehive.v1.DriftReport.$Properties): edgehive.v1.DriftReport;
             * }}
             */
            DriftReport.create = function(properties) {
                return new DriftReport(properties);
            };

            /**
             * Encodes the specified DriftReport message. Does not implicitly {@link edgehive.v1.DriftReport.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.DriftReport
             * @static
             * @param {edgehive.v1.DriftReport.$Properties} m DriftReport message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DriftReport.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq") && (typeof m.seq === "object" ? m.seq.low || m.seq.high : m.seq !== 0))
                    w.uint32(/* id 1, wireType 0 =*/8).uint64(m.seq);
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs") && !$Object.is(m.tsMs, 0))
                    w.uint32(/* id 2, wireType 1 =*/17).double(m.tsMs);
                if (m.model != null && $Object.hasOwnProperty.call(m, "model") && m.model !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.model);
                if (m.modelVersion != null && $Object.hasOwnProperty.call(m, "modelVersion") && m.modelVersion !== "")
                    w.uint32(/* id 4, wireType 2 =*/34).string(m.modelVersion);
                if (m.features != null && m.features.length) {
                    for (var i = 0; i < m.features.length; ++i)
                        $root.edgehive.v1.FeatureDrift.encode(m.features[i], w.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                }
                if (m.outputJs != null && $Object.hasOwnProperty.call(m, "outputJs") && !$Object.is(m.outputJs, 0))
                    w.uint32(/* id 6, wireType 1 =*/49).double(m.outputJs);
                if (m.samples != null && $Object.hasOwnProperty.call(m, "samples") && (typeof m.samples === "object" ? m.samples.low || m.samples.high : m.samples !== 0))
                    w.uint32(/* id 7, wireType 0 =*/56).uint64(m.samples);
                if (m.alarm != null && $Object.hasOwnProperty.call(m, "alarm") && m.alarm !== false)
                    w.uint32(/* id 8, wireType 0 =*/64).bool(m.alarm);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a DriftReport message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.DriftReport
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.DriftReport & edgehive.v1.DriftReport.$Shape} DriftReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DriftReport.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.DriftReport();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.seq = v;
                            else
                                delete m.seq;
                            continue;
                        }
                    case 2: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.tsMs = v;
                            else
                                delete m.tsMs;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.model = v;
                            else
                                delete m.model;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.modelVersion = v;
                            else
                                delete m.modelVersion;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if (!(m.features && m.features.length))
                                m.features = [];
                            m.features.push($root.edgehive.v1.FeatureDrift.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 6: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.outputJs = v;
                            else
                                delete m.outputJs;
                            continue;
                        }
                    case 7: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.samples = v;
                            else
                                delete m.samples;
                            continue;
                        }
                    case 8: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.alarm = v;
                            else
                                delete m.alarm;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a DriftReport message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.DriftReport
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.DriftReport} DriftReport
             */
            DriftReport.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.DriftReport)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.DriftReport: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.DriftReport();
                if (d.seq != null) {
                    if (typeof d.seq === "object" ? d.seq.low || d.seq.high : $Number(d.seq) !== 0) {
                        if ($util.Long)
                            m.seq = $util.Long.fromValue(d.seq, true);
                        else if (typeof d.seq === "string")
                            m.seq = $parseInt(d.seq, 10);
                        else if (typeof d.seq === "number")
                            m.seq = d.seq;
                        else if (typeof d.seq === "object")
                            m.seq = new $util.LongBits(d.seq.low >>> 0, d.seq.high >>> 0).toNumber(true);
                    }
                }
                if (d.tsMs != null) {
                    if (!$Object.is($Number(d.tsMs), 0)) {
                        m.tsMs = $Number(d.tsMs);
                    }
                }
                if (d.model != null) {
                    if (typeof d.model !== "string" || d.model.length) {
                        m.model = $String(d.model);
                    }
                }
                if (d.modelVersion != null) {
                    if (typeof d.modelVersion !== "string" || d.modelVersion.length) {
                        m.modelVersion = $String(d.modelVersion);
                    }
                }
                if (d.features) {
                    if (!$Array.isArray(d.features))
                        throw $TypeError(".edgehive.v1.DriftReport.features: array expected");
                    m.features = $Array(d.features.length);
                    for (var i = 0; i < d.features.length; ++i) {
                        if (!$util.isObject(d.features[i]))
                            throw $TypeError(".edgehive.v1.DriftReport.features: object expected");
                        m.features[i] = $root.edgehive.v1.FeatureDrift.fromObject(d.features[i], q + 1);
                    }
                }
                if (d.outputJs != null) {
                    if (!$Object.is($Number(d.outputJs), 0)) {
                        m.outputJs = $Number(d.outputJs);
                    }
                }
                if (d.samples != null) {
                    if (typeof d.samples === "object" ? d.samples.low || d.samples.high : $Number(d.samples) !== 0) {
                        if ($util.Long)
                            m.samples = $util.Long.fromValue(d.samples, true);
                        else if (typeof d.samples === "string")
                            m.samples = $parseInt(d.samples, 10);
                        else if (typeof d.samples === "number")
                            m.samples = d.samples;
                        else if (typeof d.samples === "object")
                            m.samples = new $util.LongBits(d.samples.low >>> 0, d.samples.high >>> 0).toNumber(true);
                    }
                }
                if (d.alarm != null) {
                    if (d.alarm) {
                        m.alarm = $Boolean(d.alarm);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a DriftReport message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.DriftReport
             * @static
             * @param {edgehive.v1.DriftReport} m DriftReport
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            DriftReport.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.features = [];
                }
                if (o.defaults) {
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.seq = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.seq = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.tsMs = 0;
                    d.model = "";
                    d.modelVersion = "";
                    d.outputJs = 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.samples = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.samples = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.alarm = false;
                }
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.seq = typeof m.seq === "number" ? $BigInt(m.seq) : $util.Long.fromBits(m.seq.low >>> 0, m.seq.high >>> 0, true).toBigInt();
                    else if (typeof m.seq === "number")
                        d.seq = o.longs === $String ? $String(m.seq) : m.seq;
                    else
                        d.seq = o.longs === $String ? $util.Long.prototype.toString.call(m.seq) : o.longs === $Number ? new $util.LongBits(m.seq.low >>> 0, m.seq.high >>> 0).toNumber(true) : m.seq;
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    d.tsMs = o.json && !$isFinite(m.tsMs) ? $String(m.tsMs) : m.tsMs;
                }
                if (m.model != null && $Object.hasOwnProperty.call(m, "model")) {
                    d.model = m.model;
                }
                if (m.modelVersion != null && $Object.hasOwnProperty.call(m, "modelVersion")) {
                    d.modelVersion = m.modelVersion;
                }
                if (m.features && m.features.length) {
                    d.features = $Array(m.features.length);
                    for (var j = 0; j < m.features.length; ++j) {
                        d.features[j] = $root.edgehive.v1.FeatureDrift.toObject(m.features[j], o, q + 1);
                    }
                }
                if (m.outputJs != null && $Object.hasOwnProperty.call(m, "outputJs")) {
                    d.outputJs = o.json && !$isFinite(m.outputJs) ? $String(m.outputJs) : m.outputJs;
                }
                if (m.samples != null && $Object.hasOwnProperty.call(m, "samples")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.samples = typeof m.samples === "number" ? $BigInt(m.samples) : $util.Long.fromBits(m.samples.low >>> 0, m.samples.high >>> 0, true).toBigInt();
                    else if (typeof m.samples === "number")
                        d.samples = o.longs === $String ? $String(m.samples) : m.samples;
                    else
                        d.samples = o.longs === $String ? $util.Long.prototype.toString.call(m.samples) : o.longs === $Number ? new $util.LongBits(m.samples.low >>> 0, m.samples.high >>> 0).toNumber(true) : m.samples;
                }
                if (m.alarm != null && $Object.hasOwnProperty.call(m, "alarm")) {
                    d.alarm = m.alarm;
                }
                return d;
            };

            /**
             * Converts this DriftReport to JSON.
             * @function toJSON
             * @memberof edgehive.v1.DriftReport
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            DriftReport.prototype.toJSON = function() {
                return DriftReport.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for DriftReport
             * @function getTypeUrl
             * @memberof edgehive.v1.DriftReport
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            DriftReport.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.DriftReport";
            };

            return DriftReport;
        })();

        v1.BundleSlot = (function() {

            /**
             * Properties of a BundleSlot.
             * @typedef {Object} edgehive.v1.BundleSlot.$Properties
             * @property {string|null} [bundleId] BundleSlot bundleId
             * @property {string|null} [model] BundleSlot model
             * @property {number|null} [version] BundleSlot version
             * @property {boolean|null} [healthy] BundleSlot healthy
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a BundleSlot.
             * @memberof edgehive.v1
             * @interface IBundleSlot
             * @augments edgehive.v1.BundleSlot.$Properties
             * @deprecated Use edgehive.v1.BundleSlot.$Properties instead.
             */

            /**
             * Shape of a BundleSlot.
             * @typedef {edgehive.v1.BundleSlot.$Properties} edgehive.v1.BundleSlot.$Shape
             */

            /**
             * Constructs a new BundleSlot.
             * @memberof edgehive.v1
             * @classdesc Represents a BundleSlot.
             * @constructor
             * @param {edgehive.v1.BundleSlot.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const BundleSlot = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * BundleSlot bundleId.
             * @member {string} bundleId
             * @memberof edgehive.v1.BundleSlot
             * @instance
             */
            BundleSlot.prototype.bundleId = "";

            /**
             * BundleSlot model.
             * @member {string} model
             * @memberof edgehive.v1.BundleSlot
             * @instance
             */
            BundleSlot.prototype.model = "";

            /**
             * BundleSlot version.
             * @member {number} version
             * @memberof edgehive.v1.BundleSlot
             * @instance
             */
            BundleSlot.prototype.version = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * BundleSlot healthy.
             * @member {boolean} healthy
             * @memberof edgehive.v1.BundleSlot
             * @instance
             */
            BundleSlot.prototype.healthy = false;

            /**
             * Creates a new BundleSlot instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.BundleSlot
             * @static
             * @param {edgehive.v1.BundleSlot.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.BundleSlot} BundleSlot instance
             * @type {{
             *   (properties: edgehive.v1.BundleSlot.$Shape): edgehive.v1.BundleSlot & edgehive.v1.BundleSlot.$Shape;
             *   (properties?: edgehive.v1.BundleSlot.$Properties): edgehive.v1.BundleSlot;
             * }}
             */
            BundleSlot.create = function(properties) {
                return new BundleSlot(properties);
            };

            /**
             * Encodes the specified BundleSlot message. Does not implicitly {@link edgehive.v1.BundleSlot.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.BundleSlot
             * @static
             * @param {edgehive.v1.BundleSlot.$Properties} m BundleSlot message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            BundleSlot.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.bundleId != null && $Object.hasOwnProperty.call(m, "bundleId") && m.bundleId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.bundleId);
                if (m.model != null && $Object.hasOwnProperty.call(m, "model") && m.model !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.model);
                if (m.version != null && $Object.hasOwnProperty.call(m, "version") && (typeof m.version === "object" ? m.version.low || m.version.high : m.version !== 0))
                    w.uint32(/* id 3, wireType 0 =*/24).uint64(m.version);
                if (m.healthy != null && $Object.hasOwnProperty.call(m, "healthy") && m.healthy !== false)
                    w.uint32(/* id 4, wireType 0 =*/32).bool(m.healthy);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a BundleSlot message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.BundleSlot
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.BundleSlot & edgehive.v1.BundleSlot.$Shape} BundleSlot
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            BundleSlot.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.BundleSlot();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.bundleId = v;
                            else
                                delete m.bundleId;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.model = v;
                            else
                                delete m.model;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.version = v;
                            else
                                delete m.version;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.healthy = v;
                            else
                                delete m.healthy;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a BundleSlot message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.BundleSlot
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.BundleSlot} BundleSlot
             */
            BundleSlot.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.BundleSlot)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.BundleSlot: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.BundleSlot();
                if (d.bundleId != null) {
                    if (typeof d.bundleId !== "string" || d.bundleId.length) {
                        m.bundleId = $String(d.bundleId);
                    }
                }
                if (d.model != null) {
                    if (typeof d.model !== "string" || d.model.length) {
                        m.model = $String(d.model);
                    }
                }
                if (d.version != null) {
                    if (typeof d.version === "object" ? d.version.low || d.version.high : $Number(d.version) !== 0) {
                        if ($util.Long)
                            m.version = $util.Long.fromValue(d.version, true);
                        else if (typeof d.version === "string")
                            m.version = $parseInt(d.version, 10);
                        else if (typeof d.version === "number")
                            m.version = d.version;
                        else if (typeof d.version === "object")
                            m.version = new $util.LongBits(d.version.low >>> 0, d.version.high >>> 0).toNumber(true);
                    }
                }
                if (d.healthy != null) {
                    if (d.healthy) {
                        m.healthy = $Boolean(d.healthy);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a BundleSlot message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.BundleSlot
             * @static
             * @param {edgehive.v1.BundleSlot} m BundleSlot
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            BundleSlot.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.bundleId = "";
                    d.model = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.version = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.version = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.healthy = false;
                }
                if (m.bundleId != null && $Object.hasOwnProperty.call(m, "bundleId")) {
                    d.bundleId = m.bundleId;
                }
                if (m.model != null && $Object.hasOwnProperty.call(m, "model")) {
                    d.model = m.model;
                }
                if (m.version != null && $Object.hasOwnProperty.call(m, "version")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.version = typeof m.version === "number" ? $BigInt(m.version) : $util.Long.fromBits(m.version.low >>> 0, m.version.high >>> 0, true).toBigInt();
                    else if (typeof m.version === "number")
                        d.version = o.longs === $String ? $String(m.version) : m.version;
                    else
                        d.version = o.longs === $String ? $util.Long.prototype.toString.call(m.version) : o.longs === $Number ? new $util.LongBits(m.version.low >>> 0, m.version.high >>> 0).toNumber(true) : m.version;
                }
                if (m.healthy != null && $Object.hasOwnProperty.call(m, "healthy")) {
                    d.healthy = m.healthy;
                }
                return d;
            };

            /**
             * Converts this BundleSlot to JSON.
             * @function toJSON
             * @memberof edgehive.v1.BundleSlot
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            BundleSlot.prototype.toJSON = function() {
                return BundleSlot.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for BundleSlot
             * @function getTypeUrl
             * @memberof edgehive.v1.BundleSlot
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            BundleSlot.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.BundleSlot";
            };

            return BundleSlot;
        })();

        v1.ReportedState = (function() {

            /**
             * Properties of a ReportedState.
             * @typedef {Object} edgehive.v1.ReportedState.$Properties
             * @property {number|null} [tsMs] ReportedState tsMs
             * @property {edgehive.v1.BundleSlot.$Properties|null} [active] ReportedState active
             * @property {edgehive.v1.BundleSlot.$Properties|null} [inactive] ReportedState inactive
             * @property {string|null} [installingBundle] ReportedState installingBundle
             * @property {number|null} [chunksHave] ReportedState chunksHave
             * @property {number|null} [chunksTotal] ReportedState chunksTotal
             * @property {string|null} [errorCode] ReportedState errorCode
             * @property {string|null} [errorMessage] ReportedState errorMessage
             * @property {string|null} [desiredBundle] ReportedState desiredBundle
             * @property {string|null} [phase] ReportedState phase
             * @property {string|null} [failedBundle] ReportedState failedBundle
             * @property {string|null} [profile] ReportedState profile
             * @property {string|null} [agentVersion] ReportedState agentVersion
             * @property {number|null} [inferences] ReportedState inferences
             * @property {number|null} [inferenceErrors] ReportedState inferenceErrors
             * @property {number|null} [latencyP99Ms] ReportedState latencyP99Ms
             * @property {number|null} [activatedMs] ReportedState activatedMs
             * @property {edgehive.v1.ShadowStats.$Properties|null} [shadow] ReportedState shadow
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ReportedState.
             * @memberof edgehive.v1
             * @interface IReportedState
             * @augments edgehive.v1.ReportedState.$Properties
             * @deprecated Use edgehive.v1.ReportedState.$Properties instead.
             */

            /**
             * Shape of a ReportedState.
             * @typedef {edgehive.v1.ReportedState.$Properties} edgehive.v1.ReportedState.$Shape
             */

            /**
             * Constructs a new ReportedState.
             * @memberof edgehive.v1
             * @classdesc Represents a ReportedState.
             * @constructor
             * @param {edgehive.v1.ReportedState.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ReportedState = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ReportedState tsMs.
             * @member {number} tsMs
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.tsMs = 0;

            /**
             * ReportedState active.
             * @member {edgehive.v1.BundleSlot.$Properties|null|undefined} active
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.active = null;

            /**
             * ReportedState inactive.
             * @member {edgehive.v1.BundleSlot.$Properties|null|undefined} inactive
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.inactive = null;

            /**
             * ReportedState installingBundle.
             * @member {string} installingBundle
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.installingBundle = "";

            /**
             * ReportedState chunksHave.
             * @member {number} chunksHave
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.chunksHave = 0;

            /**
             * ReportedState chunksTotal.
             * @member {number} chunksTotal
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.chunksTotal = 0;

            /**
             * ReportedState errorCode.
             * @member {string} errorCode
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.errorCode = "";

            /**
             * ReportedState errorMessage.
             * @member {string} errorMessage
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.errorMessage = "";

            /**
             * ReportedState desiredBundle.
             * @member {string} desiredBundle
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.desiredBundle = "";

            /**
             * ReportedState phase.
             * @member {string} phase
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.phase = "";

            /**
             * ReportedState failedBundle.
             * @member {string} failedBundle
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.failedBundle = "";

            /**
             * ReportedState profile.
             * @member {string} profile
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.profile = "";

            /**
             * ReportedState agentVersion.
             * @member {string} agentVersion
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.agentVersion = "";

            /**
             * ReportedState inferences.
             * @member {number} inferences
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.inferences = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ReportedState inferenceErrors.
             * @member {number} inferenceErrors
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.inferenceErrors = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ReportedState latencyP99Ms.
             * @member {number} latencyP99Ms
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.latencyP99Ms = 0;

            /**
             * ReportedState activatedMs.
             * @member {number} activatedMs
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.activatedMs = 0;

            /**
             * ReportedState shadow.
             * @member {edgehive.v1.ShadowStats.$Properties|null|undefined} shadow
             * @memberof edgehive.v1.ReportedState
             * @instance
             */
            ReportedState.prototype.shadow = null;

            /**
             * Creates a new ReportedState instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.ReportedState
             * @static
             * @param {edgehive.v1.ReportedState.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.ReportedState} ReportedState instance
             * @type {{
             *   (properties: edgehive.v1.ReportedState.$Shape): edgehive.v1.ReportedState & edgehive.v1.ReportedState.$Shape;
             *   (properties?: edgehive.v1.ReportedState.$Properties): edgehive.v1.ReportedState;
             * }}
             */
            ReportedState.create = function(properties) {
                return new ReportedState(properties);
            };

            /**
             * Encodes the specified ReportedState message. Does not implicitly {@link edgehive.v1.ReportedState.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.ReportedState
             * @static
             * @param {edgehive.v1.ReportedState.$Properties} m ReportedState message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReportedState.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs") && !$Object.is(m.tsMs, 0))
                    w.uint32(/* id 1, wireType 1 =*/9).double(m.tsMs);
                if (m.active != null && $Object.hasOwnProperty.call(m, "active"))
                    $root.edgehive.v1.BundleSlot.encode(m.active, w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                if (m.inactive != null && $Object.hasOwnProperty.call(m, "inactive"))
                    $root.edgehive.v1.BundleSlot.encode(m.inactive, w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                if (m.installingBundle != null && $Object.hasOwnProperty.call(m, "installingBundle") && m.installingBundle !== "")
                    w.uint32(/* id 4, wireType 2 =*/34).string(m.installingBundle);
                if (m.chunksHave != null && $Object.hasOwnProperty.call(m, "chunksHave") && m.chunksHave !== 0)
                    w.uint32(/* id 5, wireType 0 =*/40).uint32(m.chunksHave);
                if (m.chunksTotal != null && $Object.hasOwnProperty.call(m, "chunksTotal") && m.chunksTotal !== 0)
                    w.uint32(/* id 6, wireType 0 =*/48).uint32(m.chunksTotal);
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode") && m.errorCode !== "")
                    w.uint32(/* id 7, wireType 2 =*/58).string(m.errorCode);
                if (m.errorMessage != null && $Object.hasOwnProperty.call(m, "errorMessage") && m.errorMessage !== "")
                    w.uint32(/* id 8, wireType 2 =*/66).string(m.errorMessage);
                if (m.desiredBundle != null && $Object.hasOwnProperty.call(m, "desiredBundle") && m.desiredBundle !== "")
                    w.uint32(/* id 9, wireType 2 =*/74).string(m.desiredBundle);
                if (m.phase != null && $Object.hasOwnProperty.call(m, "phase") && m.phase !== "")
                    w.uint32(/* id 10, wireType 2 =*/82).string(m.phase);
                if (m.failedBundle != null && $Object.hasOwnProperty.call(m, "failedBundle") && m.failedBundle !== "")
                    w.uint32(/* id 11, wireType 2 =*/90).string(m.failedBundle);
                if (m.profile != null && $Object.hasOwnProperty.call(m, "profile") && m.profile !== "")
                    w.uint32(/* id 12, wireType 2 =*/98).string(m.profile);
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion") && m.agentVersion !== "")
                    w.uint32(/* id 13, wireType 2 =*/106).string(m.agentVersion);
                if (m.inferences != null && $Object.hasOwnProperty.call(m, "inferences") && (typeof m.inferences === "object" ? m.inferences.low || m.inferences.high : m.inferences !== 0))
                    w.uint32(/* id 14, wireType 0 =*/112).uint64(m.inferences);
                if (m.inferenceErrors != null && $Object.hasOwnProperty.call(m, "inferenceErrors") && (typeof m.inferenceErrors === "object" ? m.inferenceErrors.low || m.inferenceErrors.high : m.inferenceErrors !== 0))
                    w.uint32(/* id 15, wireType 0 =*/120).uint64(m.inferenceErrors);
                if (m.latencyP99Ms != null && $Object.hasOwnProperty.call(m, "latencyP99Ms") && !$Object.is(m.latencyP99Ms, 0))
                    w.uint32(/* id 16, wireType 1 =*/129).double(m.latencyP99Ms);
                if (m.activatedMs != null && $Object.hasOwnProperty.call(m, "activatedMs") && !$Object.is(m.activatedMs, 0))
                    w.uint32(/* id 17, wireType 1 =*/137).double(m.activatedMs);
                if (m.shadow != null && $Object.hasOwnProperty.call(m, "shadow"))
                    $root.edgehive.v1.ShadowStats.encode(m.shadow, w.uint32(/* id 18, wireType 2 =*/146).fork(), q + 1).ldelim();
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a ReportedState message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.ReportedState
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.ReportedState & edgehive.v1.ReportedState.$Shape} ReportedState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReportedState.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.ReportedState();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.tsMs = v;
                            else
                                delete m.tsMs;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            m.active = $root.edgehive.v1.BundleSlot.decode(r, r.size(), $undefined, q + 1, m.active);
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            m.inactive = $root.edgehive.v1.BundleSlot.decode(r, r.size(), $undefined, q + 1, m.inactive);
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.installingBundle = v;
                            else
                                delete m.installingBundle;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.chunksHave = v;
                            else
                                delete m.chunksHave;
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.chunksTotal = v;
                            else
                                delete m.chunksTotal;
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.errorCode = v;
                            else
                                delete m.errorCode;
                            continue;
                        }
                    case 8: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.errorMessage = v;
                            else
                                delete m.errorMessage;
                            continue;
                        }
                    case 9: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.desiredBundle = v;
                            else
                                delete m.desiredBundle;
                            continue;
                        }
                    case 10: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.phase = v;
                            else
                                delete m.phase;
                            continue;
                        }
                    case 11: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.failedBundle = v;
                            else
                                delete m.failedBundle;
                            continue;
                        }
                    case 12: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.profile = v;
                            else
                                delete m.profile;
                            continue;
                        }
                    case 13: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.agentVersion = v;
                            else
                                delete m.agentVersion;
                            continue;
                        }
                    case 14: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.inferences = v;
                            else
                                delete m.inferences;
                            continue;
                        }
                    case 15: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.inferenceErrors = v;
                            else
                                delete m.inferenceErrors;
                            continue;
                        }
                    case 16: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.latencyP99Ms = v;
                            else
                                delete m.latencyP99Ms;
                            continue;
                        }
                    case 17: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.activatedMs = v;
                            else
                                delete m.activatedMs;
                            continue;
                        }
                    case 18: {
                            if (u !== 2)
                                break;
                            m.shadow = $root.edgehive.v1.ShadowStats.decode(r, r.size(), $undefined, q + 1, m.shadow);
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a ReportedState message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.ReportedState
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.ReportedState} ReportedState
             */
            ReportedState.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.ReportedState)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.ReportedState: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.ReportedState();
                if (d.tsMs != null) {
                    if (!$Object.is($Number(d.tsMs), 0)) {
                        m.tsMs = $Number(d.tsMs);
                    }
                }
                if (d.active != null) {
                    if (!$util.isObject(d.active))
                        throw $TypeError(".edgehive.v1.ReportedState.active: object expected");
                    m.active = $root.edgehive.v1.BundleSlot.fromObject(d.active, q + 1);
                }
                if (d.inactive != null) {
                    if (!$util.isObject(d.inactive))
                        throw $TypeError(".edgehive.v1.ReportedState.inactive: object expected");
                    m.inactive = $root.edgehive.v1.BundleSlot.fromObject(d.inactive, q + 1);
                }
                if (d.installingBundle != null) {
                    if (typeof d.installingBundle !== "string" || d.installingBundle.length) {
                        m.installingBundle = $String(d.installingBundle);
                    }
                }
                if (d.chunksHave != null) {
                    if ($Number(d.chunksHave) !== 0) {
                        m.chunksHave = d.chunksHave >>> 0;
                    }
                }
                if (d.chunksTotal != null) {
                    if ($Number(d.chunksTotal) !== 0) {
                        m.chunksTotal = d.chunksTotal >>> 0;
                    }
                }
                if (d.errorCode != null) {
                    if (typeof d.errorCode !== "string" || d.errorCode.length) {
                        m.errorCode = $String(d.errorCode);
                    }
                }
                if (d.errorMessage != null) {
                    if (typeof d.errorMessage !== "string" || d.errorMessage.length) {
                        m.errorMessage = $String(d.errorMessage);
                    }
                }
                if (d.desiredBundle != null) {
                    if (typeof d.desiredBundle !== "string" || d.desiredBundle.length) {
                        m.desiredBundle = $String(d.desiredBundle);
                    }
                }
                if (d.phase != null) {
                    if (typeof d.phase !== "string" || d.phase.length) {
                        m.phase = $String(d.phase);
                    }
                }
                if (d.failedBundle != null) {
                    if (typeof d.failedBundle !== "string" || d.failedBundle.length) {
                        m.failedBundle = $String(d.failedBundle);
                    }
                }
                if (d.profile != null) {
                    if (typeof d.profile !== "string" || d.profile.length) {
                        m.profile = $String(d.profile);
                    }
                }
                if (d.agentVersion != null) {
                    if (typeof d.agentVersion !== "string" || d.agentVersion.length) {
                        m.agentVersion = $String(d.agentVersion);
                    }
                }
                if (d.inferences != null) {
                    if (typeof d.inferences === "object" ? d.inferences.low || d.inferences.high : $Number(d.inferences) !== 0) {
                        if ($util.Long)
                            m.inferences = $util.Long.fromValue(d.inferences, true);
                        else if (typeof d.inferences === "string")
                            m.inferences = $parseInt(d.inferences, 10);
                        else if (typeof d.inferences === "number")
                            m.inferences = d.inferences;
                        else if (typeof d.inferences === "object")
                            m.inferences = new $util.LongBits(d.inferences.low >>> 0, d.inferences.high >>> 0).toNumber(true);
                    }
                }
                if (d.inferenceErrors != null) {
                    if (typeof d.inferenceErrors === "object" ? d.inferenceErrors.low || d.inferenceErrors.high : $Number(d.inferenceErrors) !== 0) {
                        if ($util.Long)
                            m.inferenceErrors = $util.Long.fromValue(d.inferenceErrors, true);
                        else if (typeof d.inferenceErrors === "string")
                            m.inferenceErrors = $parseInt(d.inferenceErrors, 10);
                        else if (typeof d.inferenceErrors === "number")
                            m.inferenceErrors = d.inferenceErrors;
                        else if (typeof d.inferenceErrors === "object")
                            m.inferenceErrors = new $util.LongBits(d.inferenceErrors.low >>> 0, d.inferenceErrors.high >>> 0).toNumber(true);
                    }
                }
                if (d.latencyP99Ms != null) {
                    if (!$Object.is($Number(d.latencyP99Ms), 0)) {
                        m.latencyP99Ms = $Number(d.latencyP99Ms);
                    }
                }
                if (d.activatedMs != null) {
                    if (!$Object.is($Number(d.activatedMs), 0)) {
                        m.activatedMs = $Number(d.activatedMs);
                    }
                }
                if (d.shadow != null) {
                    if (!$util.isObject(d.shadow))
                        throw $TypeError(".edgehive.v1.ReportedState.shadow: object expected");
                    m.shadow = $root.edgehive.v1.ShadowStats.fromObject(d.shadow, q + 1);
                }
                return m;
            };

            /**
             * Creates a plain object from a ReportedState message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.ReportedState
             * @static
             * @param {edgehive.v1.ReportedState} m ReportedState
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ReportedState.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.tsMs = 0;
                    d.active = null;
                    d.inactive = null;
                    d.installingBundle = "";
                    d.chunksHave = 0;
                    d.chunksTotal = 0;
                    d.errorCode = "";
                    d.errorMessage = "";
                    d.desiredBundle = "";
                    d.phase = "";
                    d.failedBundle = "";
                    d.profile = "";
                    d.agentVersion = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.inferences = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.inferences = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.inferenceErrors = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.inferenceErrors = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.latencyP99Ms = 0;
                    d.activatedMs = 0;
                    d.shadow = null;
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    d.tsMs = o.json && !$isFinite(m.tsMs) ? $String(m.tsMs) : m.tsMs;
                }
                if (m.active != null && $Object.hasOwnProperty.call(m, "active")) {
                    d.active = $root.edgehive.v1.BundleSlot.toObject(m.active, o, q + 1);
                }
                if (m.inactive != null && $Object.hasOwnProperty.call(m, "inactive")) {
                    d.inactive = $root.edgehive.v1.BundleSlot.toObject(m.inactive, o, q + 1);
                }
                if (m.installingBundle != null && $Object.hasOwnProperty.call(m, "installingBundle")) {
                    d.installingBundle = m.installingBundle;
                }
                if (m.chunksHave != null && $Object.hasOwnProperty.call(m, "chunksHave")) {
                    d.chunksHave = m.chunksHave;
                }
                if (m.chunksTotal != null && $Object.hasOwnProperty.call(m, "chunksTotal")) {
                    d.chunksTotal = m.chunksTotal;
                }
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode")) {
                    d.errorCode = m.errorCode;
                }
                if (m.errorMessage != null && $Object.hasOwnProperty.call(m, "errorMessage")) {
                    d.errorMessage = m.errorMessage;
                }
                if (m.desiredBundle != null && $Object.hasOwnProperty.call(m, "desiredBundle")) {
                    d.desiredBundle = m.desiredBundle;
                }
                if (m.phase != null && $Object.hasOwnProperty.call(m, "phase")) {
                    d.phase = m.phase;
                }
                if (m.failedBundle != null && $Object.hasOwnProperty.call(m, "failedBundle")) {
                    d.failedBundle = m.failedBundle;
                }
                if (m.profile != null && $Object.hasOwnProperty.call(m, "profile")) {
                    d.profile = m.profile;
                }
                if (m.agentVersion != null && $Object.hasOwnProperty.call(m, "agentVersion")) {
                    d.agentVersion = m.agentVersion;
                }
                if (m.inferences != null && $Object.hasOwnProperty.call(m, "inferences")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.inferences = typeof m.inferences === "number" ? $BigInt(m.inferences) : $util.Long.fromBits(m.inferences.low >>> 0, m.inferences.high >>> 0, true).toBigInt();
                    else if (typeof m.inferences === "number")
                        d.inferences = o.longs === $String ? $String(m.inferences) : m.inferences;
                    else
                        d.inferences = o.longs === $String ? $util.Long.prototype.toString.call(m.inferences) : o.longs === $Number ? new $util.LongBits(m.inferences.low >>> 0, m.inferences.high >>> 0).toNumber(true) : m.inferences;
                }
                if (m.inferenceErrors != null && $Object.hasOwnProperty.call(m, "inferenceErrors")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.inferenceErrors = typeof m.inferenceErrors === "number" ? $BigInt(m.inferenceErrors) : $util.Long.fromBits(m.inferenceErrors.low >>> 0, m.inferenceErrors.high >>> 0, true).toBigInt();
                    else if (typeof m.inferenceErrors === "number")
                        d.inferenceErrors = o.longs === $String ? $String(m.inferenceErrors) : m.inferenceErrors;
                    else
                        d.inferenceErrors = o.longs === $String ? $util.Long.prototype.toString.call(m.inferenceErrors) : o.longs === $Number ? new $util.LongBits(m.inferenceErrors.low >>> 0, m.inferenceErrors.high >>> 0).toNumber(true) : m.inferenceErrors;
                }
                if (m.latencyP99Ms != null && $Object.hasOwnProperty.call(m, "latencyP99Ms")) {
                    d.latencyP99Ms = o.json && !$isFinite(m.latencyP99Ms) ? $String(m.latencyP99Ms) : m.latencyP99Ms;
                }
                if (m.activatedMs != null && $Object.hasOwnProperty.call(m, "activatedMs")) {
                    d.activatedMs = o.json && !$isFinite(m.activatedMs) ? $String(m.activatedMs) : m.activatedMs;
                }
                if (m.shadow != null && $Object.hasOwnProperty.call(m, "shadow")) {
                    d.shadow = $root.edgehive.v1.ShadowStats.toObject(m.shadow, o, q + 1);
                }
                return d;
            };

            /**
             * Converts this ReportedState to JSON.
             * @function toJSON
             * @memberof edgehive.v1.ReportedState
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ReportedState.prototype.toJSON = function() {
                return ReportedState.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ReportedState
             * @function getTypeUrl
             * @memberof edgehive.v1.ReportedState
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ReportedState.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.ReportedState";
            };

            return ReportedState;
        })();

        v1.ShadowStats = (function() {

            /**
             * Properties of a ShadowStats.
             * @typedef {Object} edgehive.v1.ShadowStats.$Properties
             * @property {string|null} [bundleId] ShadowStats bundleId
             * @property {string|null} [phase] ShadowStats phase
             * @property {number|null} [inferences] ShadowStats inferences
             * @property {number|null} [agreement] ShadowStats agreement
             * @property {number|null} [championMeanScore] ShadowStats championMeanScore
             * @property {number|null} [challengerMeanScore] ShadowStats challengerMeanScore
             * @property {number|null} [scoreJs] ShadowStats scoreJs
             * @property {number|null} [championLatencyP99Ms] ShadowStats championLatencyP99Ms
             * @property {number|null} [challengerLatencyP99Ms] ShadowStats challengerLatencyP99Ms
             * @property {number|null} [challengerErrors] ShadowStats challengerErrors
             * @property {string|null} [errorCode] ShadowStats errorCode
             * @property {string|null} [errorMessage] ShadowStats errorMessage
             * @property {number|null} [championDetections] ShadowStats championDetections
             * @property {number|null} [challengerDetections] ShadowStats challengerDetections
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ShadowStats.
             * @memberof edgehive.v1
             * @interface IShadowStats
             * @augments edgehive.v1.ShadowStats.$Properties
             * @deprecated Use edgehive.v1.ShadowStats.$Properties instead.
             */

            /**
             * Shape of a ShadowStats.
             * @typedef {edgehive.v1.ShadowStats.$Properties} edgehive.v1.ShadowStats.$Shape
             */

            /**
             * Constructs a new ShadowStats.
             * @memberof edgehive.v1
             * @classdesc Represents a ShadowStats.
             * @constructor
             * @param {edgehive.v1.ShadowStats.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ShadowStats = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ShadowStats bundleId.
             * @member {string} bundleId
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.bundleId = "";

            /**
             * ShadowStats phase.
             * @member {string} phase
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.phase = "";

            /**
             * ShadowStats inferences.
             * @member {number} inferences
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.inferences = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ShadowStats agreement.
             * @member {number} agreement
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.agreement = 0;

            /**
             * ShadowStats championMeanScore.
             * @member {number} championMeanScore
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.championMeanScore = 0;

            /**
             * ShadowStats challengerMeanScore.
             * @member {number} challengerMeanScore
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.challengerMeanScore = 0;

            /**
             * ShadowStats scoreJs.
             * @member {number} scoreJs
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.scoreJs = 0;

            /**
             * ShadowStats championLatencyP99Ms.
             * @member {number} championLatencyP99Ms
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.championLatencyP99Ms = 0;

            /**
             * ShadowStats challengerLatencyP99Ms.
             * @member {number} challengerLatencyP99Ms
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.challengerLatencyP99Ms = 0;

            /**
             * ShadowStats challengerErrors.
             * @member {number} challengerErrors
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.challengerErrors = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ShadowStats errorCode.
             * @member {string} errorCode
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.errorCode = "";

            /**
             * ShadowStats errorMessage.
             * @member {string} errorMessage
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.errorMessage = "";

            /**
             * ShadowStats championDetections.
             * @member {number} championDetections
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.championDetections = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ShadowStats challengerDetections.
             * @member {number} challengerDetections
             * @memberof edgehive.v1.ShadowStats
             * @instance
             */
            ShadowStats.prototype.challengerDetections = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new ShadowStats instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.ShadowStats
             * @static
             * @param {edgehive.v1.ShadowStats.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.ShadowStats} ShadowStats instance
             * @type {{
             *   (properties: edgehive.v1.ShadowStats.$Shape): edgehive.v1.ShadowStats & edgehive.v1.ShadowStats.$Shape;
             *   (properties?: edgehive.v1.ShadowStats.$Properties): edgehive.v1.ShadowStats;
             * }}
             */
            ShadowStats.create = function(properties) {
                return new ShadowStats(properties);
            };

            /**
             * Encodes the specified ShadowStats message. Does not implicitly {@link edgehive.v1.ShadowStats.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.ShadowStats
             * @static
             * @param {edgehive.v1.ShadowStats.$Properties} m ShadowStats message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ShadowStats.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.bundleId != null && $Object.hasOwnProperty.call(m, "bundleId") && m.bundleId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.bundleId);
                if (m.phase != null && $Object.hasOwnProperty.call(m, "phase") && m.phase !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.phase);
                if (m.inferences != null && $Object.hasOwnProperty.call(m, "inferences") && (typeof m.inferences === "object" ? m.inferences.low || m.inferences.high : m.inferences !== 0))
                    w.uint32(/* id 3, wireType 0 =*/24).uint64(m.inferences);
                if (m.agreement != null && $Object.hasOwnProperty.call(m, "agreement") && !$Object.is(m.agreement, 0))
                    w.uint32(/* id 4, wireType 1 =*/33).double(m.agreement);
                if (m.championMeanScore != null && $Object.hasOwnProperty.call(m, "championMeanScore") && !$Object.is(m.championMeanScore, 0))
                    w.uint32(/* id 5, wireType 1 =*/41).double(m.championMeanScore);
                if (m.challengerMeanScore != null && $Object.hasOwnProperty.call(m, "challengerMeanScore") && !$Object.is(m.challengerMeanScore, 0))
                    w.uint32(/* id 6, wireType 1 =*/49).double(m.challengerMeanScore);
                if (m.scoreJs != null && $Object.hasOwnProperty.call(m, "scoreJs") && !$Object.is(m.scoreJs, 0))
                    w.uint32(/* id 7, wireType 1 =*/57).double(m.scoreJs);
                if (m.championLatencyP99Ms != null && $Object.hasOwnProperty.call(m, "championLatencyP99Ms") && !$Object.is(m.championLatencyP99Ms, 0))
                    w.uint32(/* id 8, wireType 1 =*/65).double(m.championLatencyP99Ms);
                if (m.challengerLatencyP99Ms != null && $Object.hasOwnProperty.call(m, "challengerLatencyP99Ms") && !$Object.is(m.challengerLatencyP99Ms, 0))
                    w.uint32(/* id 9, wireType 1 =*/73).double(m.challengerLatencyP99Ms);
                if (m.challengerErrors != null && $Object.hasOwnProperty.call(m, "challengerErrors") && (typeof m.challengerErrors === "object" ? m.challengerErrors.low || m.challengerErrors.high : m.challengerErrors !== 0))
                    w.uint32(/* id 10, wireType 0 =*/80).uint64(m.challengerErrors);
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode") && m.errorCode !== "")
                    w.uint32(/* id 11, wireType 2 =*/90).string(m.errorCode);
                if (m.errorMessage != null && $Object.hasOwnProperty.call(m, "errorMessage") && m.errorMessage !== "")
                    w.uint32(/* id 12, wireType 2 =*/98).string(m.errorMessage);
                if (m.championDetections != null && $Object.hasOwnProperty.call(m, "championDetections") && (typeof m.championDetections === "object" ? m.championDetections.low || m.championDetections.high : m.championDetections !== 0))
                    w.uint32(/* id 13, wireType 0 =*/104).uint64(m.championDetections);
                if (m.challengerDetections != null && $Object.hasOwnProperty.call(m, "challengerDetections") && (typeof m.challengerDetections === "object" ? m.challengerDetections.low || m.challengerDetections.high : m.challengerDetections !== 0))
                    w.uint32(/* id 14, wireType 0 =*/112).uint64(m.challengerDetections);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a ShadowStats message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.ShadowStats
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.ShadowStats & edgehive.v1.ShadowStats.$Shape} ShadowStats
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ShadowStats.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.ShadowStats();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.bundleId = v;
                            else
                                delete m.bundleId;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.phase = v;
                            else
                                delete m.phase;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.inferences = v;
                            else
                                delete m.inferences;
                            continue;
                        }
                    case 4: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.agreement = v;
                            else
                                delete m.agreement;
                            continue;
                        }
                    case 5: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.championMeanScore = v;
                            else
                                delete m.championMeanScore;
                            continue;
                        }
                    case 6: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.challengerMeanScore = v;
                            else
                                delete m.challengerMeanScore;
                            continue;
                        }
                    case 7: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.scoreJs = v;
                            else
                                delete m.scoreJs;
                            continue;
                        }
                    case 8: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.championLatencyP99Ms = v;
                            else
                                delete m.championLatencyP99Ms;
                            continue;
                        }
                    case 9: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.challengerLatencyP99Ms = v;
                            else
                                delete m.challengerLatencyP99Ms;
                            continue;
                        }
                    case 10: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.challengerErrors = v;
                            else
                                delete m.challengerErrors;
                            continue;
                        }
                    case 11: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.errorCode = v;
                            else
                                delete m.errorCode;
                            continue;
                        }
                    case 12: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.errorMessage = v;
                            else
                                delete m.errorMessage;
                            continue;
                        }
                    case 13: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.championDetections = v;
                            else
                                delete m.championDetections;
                            continue;
                        }
                    case 14: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.challengerDetections = v;
                            else
                                delete m.challengerDetections;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a ShadowStats message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.ShadowStats
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.ShadowStats} ShadowStats
             */
            ShadowStats.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.ShadowStats)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.ShadowStats: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.ShadowStats();
                if (d.bundleId != null) {
                    if (typeof d.bundleId !== "string" || d.bundleId.length) {
                        m.bundleId = $String(d.bundleId);
                    }
                }
                if (d.phase != null) {
                    if (typeof d.phase !== "string" || d.phase.length) {
                        m.phase = $String(d.phase);
                    }
                }
                if (d.inferences != null) {
                    if (typeof d.inferences === "object" ? d.inferences.low || d.inferences.high : $Number(d.inferences) !== 0) {
                        if ($util.Long)
                            m.inferences = $util.Long.fromValue(d.inferences, true);
                        else if (typeof d.inferences === "string")
                            m.inferences = $parseInt(d.inferences, 10);
                        else if (typeof d.inferences === "number")
                            m.inferences = d.inferences;
                        else if (typeof d.inferences === "object")
                            m.inferences = new $util.LongBits(d.inferences.low >>> 0, d.inferences.high >>> 0).toNumber(true);
                    }
                }
                if (d.agreement != null) {
                    if (!$Object.is($Number(d.agreement), 0)) {
                        m.agreement = $Number(d.agreement);
                    }
                }
                if (d.championMeanScore != null) {
                    if (!$Object.is($Number(d.championMeanScore), 0)) {
                        m.championMeanScore = $Number(d.championMeanScore);
                    }
                }
                if (d.challengerMeanScore != null) {
                    if (!$Object.is($Number(d.challengerMeanScore), 0)) {
                        m.challengerMeanScore = $Number(d.challengerMeanScore);
                    }
                }
                if (d.scoreJs != null) {
                    if (!$Object.is($Number(d.scoreJs), 0)) {
                        m.scoreJs = $Number(d.scoreJs);
                    }
                }
                if (d.championLatencyP99Ms != null) {
                    if (!$Object.is($Number(d.championLatencyP99Ms), 0)) {
                        m.championLatencyP99Ms = $Number(d.championLatencyP99Ms);
                    }
                }
                if (d.challengerLatencyP99Ms != null) {
                    if (!$Object.is($Number(d.challengerLatencyP99Ms), 0)) {
                        m.challengerLatencyP99Ms = $Number(d.challengerLatencyP99Ms);
                    }
                }
                if (d.challengerErrors != null) {
                    if (typeof d.challengerErrors === "object" ? d.challengerErrors.low || d.challengerErrors.high : $Number(d.challengerErrors) !== 0) {
                        if ($util.Long)
                            m.challengerErrors = $util.Long.fromValue(d.challengerErrors, true);
                        else if (typeof d.challengerErrors === "string")
                            m.challengerErrors = $parseInt(d.challengerErrors, 10);
                        else if (typeof d.challengerErrors === "number")
                            m.challengerErrors = d.challengerErrors;
                        else if (typeof d.challengerErrors === "object")
                            m.challengerErrors = new $util.LongBits(d.challengerErrors.low >>> 0, d.challengerErrors.high >>> 0).toNumber(true);
                    }
                }
                if (d.errorCode != null) {
                    if (typeof d.errorCode !== "string" || d.errorCode.length) {
                        m.errorCode = $String(d.errorCode);
                    }
                }
                if (d.errorMessage != null) {
                    if (typeof d.errorMessage !== "string" || d.errorMessage.length) {
                        m.errorMessage = $String(d.errorMessage);
                    }
                }
                if (d.championDetections != null) {
                    if (typeof d.championDetections === "object" ? d.championDetections.low || d.championDetections.high : $Number(d.championDetections) !== 0) {
                        if ($util.Long)
                            m.championDetections = $util.Long.fromValue(d.championDetections, true);
                        else if (typeof d.championDetections === "string")
                            m.championDetections = $parseInt(d.championDetections, 10);
                        else if (typeof d.championDetections === "number")
                            m.championDetections = d.championDetections;
                        else if (typeof d.championDetections === "object")
                            m.championDetections = new $util.LongBits(d.championDetections.low >>> 0, d.championDetections.high >>> 0).toNumber(true);
                    }
                }
                if (d.challengerDetections != null) {
                    if (typeof d.challengerDetections === "object" ? d.challengerDetections.low || d.challengerDetections.high : $Number(d.challengerDetections) !== 0) {
                        if ($util.Long)
                            m.challengerDetections = $util.Long.fromValue(d.challengerDetections, true);
                        else if (typeof d.challengerDetections === "string")
                            m.challengerDetections = $parseInt(d.challengerDetections, 10);
                        else if (typeof d.challengerDetections === "number")
                            m.challengerDetections = d.challengerDetections;
                        else if (typeof d.challengerDetections === "object")
                            m.challengerDetections = new $util.LongBits(d.challengerDetections.low >>> 0, d.challengerDetections.high >>> 0).toNumber(true);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a ShadowStats message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.ShadowStats
             * @static
             * @param {edgehive.v1.ShadowStats} m ShadowStats
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ShadowStats.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.bundleId = "";
                    d.phase = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.inferences = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.inferences = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.agreement = 0;
                    d.championMeanScore = 0;
                    d.challengerMeanScore = 0;
                    d.scoreJs = 0;
                    d.championLatencyP99Ms = 0;
                    d.challengerLatencyP99Ms = 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.challengerErrors = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.challengerErrors = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.errorCode = "";
                    d.errorMessage = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.championDetections = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.championDetections = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.challengerDetections = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.challengerDetections = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (m.bundleId != null && $Object.hasOwnProperty.call(m, "bundleId")) {
                    d.bundleId = m.bundleId;
                }
                if (m.phase != null && $Object.hasOwnProperty.call(m, "phase")) {
                    d.phase = m.phase;
                }
                if (m.inferences != null && $Object.hasOwnProperty.call(m, "inferences")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.inferences = typeof m.inferences === "number" ? $BigInt(m.inferences) : $util.Long.fromBits(m.inferences.low >>> 0, m.inferences.high >>> 0, true).toBigInt();
                    else if (typeof m.inferences === "number")
                        d.inferences = o.longs === $String ? $String(m.inferences) : m.inferences;
                    else
                        d.inferences = o.longs === $String ? $util.Long.prototype.toString.call(m.inferences) : o.longs === $Number ? new $util.LongBits(m.inferences.low >>> 0, m.inferences.high >>> 0).toNumber(true) : m.inferences;
                }
                if (m.agreement != null && $Object.hasOwnProperty.call(m, "agreement")) {
                    d.agreement = o.json && !$isFinite(m.agreement) ? $String(m.agreement) : m.agreement;
                }
                if (m.championMeanScore != null && $Object.hasOwnProperty.call(m, "championMeanScore")) {
                    d.championMeanScore = o.json && !$isFinite(m.championMeanScore) ? $String(m.championMeanScore) : m.championMeanScore;
                }
                if (m.challengerMeanScore != null && $Object.hasOwnProperty.call(m, "challengerMeanScore")) {
                    d.challengerMeanScore = o.json && !$isFinite(m.challengerMeanScore) ? $String(m.challengerMeanScore) : m.challengerMeanScore;
                }
                if (m.scoreJs != null && $Object.hasOwnProperty.call(m, "scoreJs")) {
                    d.scoreJs = o.json && !$isFinite(m.scoreJs) ? $String(m.scoreJs) : m.scoreJs;
                }
                if (m.championLatencyP99Ms != null && $Object.hasOwnProperty.call(m, "championLatencyP99Ms")) {
                    d.championLatencyP99Ms = o.json && !$isFinite(m.championLatencyP99Ms) ? $String(m.championLatencyP99Ms) : m.championLatencyP99Ms;
                }
                if (m.challengerLatencyP99Ms != null && $Object.hasOwnProperty.call(m, "challengerLatencyP99Ms")) {
                    d.challengerLatencyP99Ms = o.json && !$isFinite(m.challengerLatencyP99Ms) ? $String(m.challengerLatencyP99Ms) : m.challengerLatencyP99Ms;
                }
                if (m.challengerErrors != null && $Object.hasOwnProperty.call(m, "challengerErrors")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.challengerErrors = typeof m.challengerErrors === "number" ? $BigInt(m.challengerErrors) : $util.Long.fromBits(m.challengerErrors.low >>> 0, m.challengerErrors.high >>> 0, true).toBigInt();
                    else if (typeof m.challengerErrors === "number")
                        d.challengerErrors = o.longs === $String ? $String(m.challengerErrors) : m.challengerErrors;
                    else
                        d.challengerErrors = o.longs === $String ? $util.Long.prototype.toString.call(m.challengerErrors) : o.longs === $Number ? new $util.LongBits(m.challengerErrors.low >>> 0, m.challengerErrors.high >>> 0).toNumber(true) : m.challengerErrors;
                }
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode")) {
                    d.errorCode = m.errorCode;
                }
                if (m.errorMessage != null && $Object.hasOwnProperty.call(m, "errorMessage")) {
                    d.errorMessage = m.errorMessage;
                }
                if (m.championDetections != null && $Object.hasOwnProperty.call(m, "championDetections")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.championDetections = typeof m.championDetections === "number" ? $BigInt(m.championDetections) : $util.Long.fromBits(m.championDetections.low >>> 0, m.championDetections.high >>> 0, true).toBigInt();
                    else if (typeof m.championDetections === "number")
                        d.championDetections = o.longs === $String ? $String(m.championDetections) : m.championDetections;
                    else
                        d.championDetections = o.longs === $String ? $util.Long.prototype.toString.call(m.championDetections) : o.longs === $Number ? new $util.LongBits(m.championDetections.low >>> 0, m.championDetections.high >>> 0).toNumber(true) : m.championDetections;
                }
                if (m.challengerDetections != null && $Object.hasOwnProperty.call(m, "challengerDetections")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.challengerDetections = typeof m.challengerDetections === "number" ? $BigInt(m.challengerDetections) : $util.Long.fromBits(m.challengerDetections.low >>> 0, m.challengerDetections.high >>> 0, true).toBigInt();
                    else if (typeof m.challengerDetections === "number")
                        d.challengerDetections = o.longs === $String ? $String(m.challengerDetections) : m.challengerDetections;
                    else
                        d.challengerDetections = o.longs === $String ? $util.Long.prototype.toString.call(m.challengerDetections) : o.longs === $Number ? new $util.LongBits(m.challengerDetections.low >>> 0, m.challengerDetections.high >>> 0).toNumber(true) : m.challengerDetections;
                }
                return d;
            };

            /**
             * Converts this ShadowStats to JSON.
             * @function toJSON
             * @memberof edgehive.v1.ShadowStats
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ShadowStats.prototype.toJSON = function() {
                return ShadowStats.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ShadowStats
             * @function getTypeUrl
             * @memberof edgehive.v1.ShadowStats
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ShadowStats.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.ShadowStats";
            };

            return ShadowStats;
        })();

        v1.FederatedUpdate = (function() {

            /**
             * Properties of a FederatedUpdate.
             * @typedef {Object} edgehive.v1.FederatedUpdate.$Properties
             * @property {number|null} [seq] FederatedUpdate seq
             * @property {string|null} [roundId] FederatedUpdate roundId
             * @property {number|null} [samples] FederatedUpdate samples
             * @property {Uint8Array|null} [maskedDelta] FederatedUpdate maskedDelta
             * @property {number|null} [loss] FederatedUpdate loss
             * @property {Uint8Array|null} [publicKey] FederatedUpdate publicKey
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FederatedUpdate.
             * @memberof edgehive.v1
             * @interface IFederatedUpdate
             * @augments edgehive.v1.FederatedUpdate.$Properties
             * @deprecated Use edgehive.v1.FederatedUpdate.$Properties instead.
             */

            /**
             * Shape of a FederatedUpdate.
             * @typedef {edgehive.v1.FederatedUpdate.$Properties} edgehive.v1.FederatedUpdate.$Shape
             */

            /**
             * Constructs a new FederatedUpdate.
             * @memberof edgehive.v1
             * @classdesc Represents a FederatedUpdate.
             * @constructor
             * @param {edgehive.v1.FederatedUpdate.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const FederatedUpdate = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * FederatedUpdate seq.
             * @member {number} seq
             * @memberof edgehive.v1.FederatedUpdate
             * @instance
             */
            FederatedUpdate.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * FederatedUpdate roundId.
             * @member {string} roundId
             * @memberof edgehive.v1.FederatedUpdate
             * @instance
             */
            FederatedUpdate.prototype.roundId = "";

            /**
             * FederatedUpdate samples.
             * @member {number} samples
             * @memberof edgehive.v1.FederatedUpdate
             * @instance
             */
            FederatedUpdate.prototype.samples = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * FederatedUpdate maskedDelta.
             * @member {Uint8Array} maskedDelta
             * @memberof edgehive.v1.FederatedUpdate
             * @instance
             */
            FederatedUpdate.prototype.maskedDelta = $util.newBuffer([]);

            /**
             * FederatedUpdate loss.
             * @member {number} loss
             * @memberof edgehive.v1.FederatedUpdate
             * @instance
             */
            FederatedUpdate.prototype.loss = 0;

            /**
             * FederatedUpdate publicKey.
             * @member {Uint8Array} publicKey
             * @memberof edgehive.v1.FederatedUpdate
             * @instance
             */
            FederatedUpdate.prototype.publicKey = $util.newBuffer([]);

            /**
             * Creates a new FederatedUpdate instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.FederatedUpdate
             * @static
             * @param {edgehive.v1.FederatedUpdate.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.FederatedUpdate} FederatedUpdate instance
             * @type {{
             *   (properties: edgehive.v1.FederatedUpdate.$Shape): edgehive.v1.FederatedUpdate & edgehive.v1.FederatedUpdate.$Shape;
             *   (properties?: edgehive.v1.FederatedUpdate.$Properties): edgehive.v1.FederatedUpdate;
             * }}
             */
            FederatedUpdate.create = function(properties) {
                return new FederatedUpdate(properties);
            };

            /**
             * Encodes the specified FederatedUpdate message. Does not implicitly {@link edgehive.v1.FederatedUpdate.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.FederatedUpdate
             * @static
             * @param {edgehive.v1.FederatedUpdate.$Properties} m FederatedUpdate message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FederatedUpdate.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq") && (typeof m.seq === "object" ? m.seq.low || m.seq.high : m.seq !== 0))
                    w.uint32(/* id 1, wireType 0 =*/8).uint64(m.seq);
                if (m.roundId != null && $Object.hasOwnProperty.call(m, "roundId") && m.roundId !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.roundId);
                if (m.samples != null && $Object.hasOwnProperty.call(m, "samples") && (typeof m.samples === "object" ? m.samples.low || m.samples.high : m.samples !== 0))
                    w.uint32(/* id 3, wireType 0 =*/24).uint64(m.samples);
                if (m.maskedDelta != null && $Object.hasOwnProperty.call(m, "maskedDelta") && m.maskedDelta.length)
                    w.uint32(/* id 4, wireType 2 =*/34).bytes(m.maskedDelta);
                if (m.loss != null && $Object.hasOwnProperty.call(m, "loss") && !$Object.is(m.loss, 0))
                    w.uint32(/* id 5, wireType 1 =*/41).double(m.loss);
                if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey") && m.publicKey.length)
                    w.uint32(/* id 6, wireType 2 =*/50).bytes(m.publicKey);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a FederatedUpdate message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.FederatedUpdate
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.FederatedUpdate & edgehive.v1.FederatedUpdate.$Shape} FederatedUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FederatedUpdate.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.FederatedUpdate();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.seq = v;
                            else
                                delete m.seq;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.roundId = v;
                            else
                                delete m.roundId;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.samples = v;
                            else
                                delete m.samples;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.maskedDelta = v;
                            else
                                delete m.maskedDelta;
                            continue;
                        }
                    case 5: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.loss = v;
                            else
                                delete m.loss;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.publicKey = v;
                            else
                                delete m.publicKey;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a FederatedUpdate message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.FederatedUpdate
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.FederatedUpdate} FederatedUpdate
             */
            FederatedUpdate.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.FederatedUpdate)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.FederatedUpdate: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.FederatedUpdate();
                if (d.seq != null) {
                    if (typeof d.seq === "object" ? d.seq.low || d.seq.high : $Number(d.seq) !== 0) {
                        if ($util.Long)
                            m.seq = $util.Long.fromValue(d.seq, true);
                        else if (typeof d.seq === "string")
                            m.seq = $parseInt(d.seq, 10);
                        else if (typeof d.seq === "number")
                            m.seq = d.seq;
                        else if (typeof d.seq === "object")
                            m.seq = new $util.LongBits(d.seq.low >>> 0, d.seq.high >>> 0).toNumber(true);
                    }
                }
                if (d.roundId != null) {
                    if (typeof d.roundId !== "string" || d.roundId.length) {
                        m.roundId = $String(d.roundId);
                    }
                }
                if (d.samples != null) {
                    if (typeof d.samples === "object" ? d.samples.low || d.samples.high : $Number(d.samples) !== 0) {
                        if ($util.Long)
                            m.samples = $util.Long.fromValue(d.samples, true);
                        else if (typeof d.samples === "string")
                            m.samples = $parseInt(d.samples, 10);
                        else if (typeof d.samples === "number")
                            m.samples = d.samples;
                        else if (typeof d.samples === "object")
                            m.samples = new $util.LongBits(d.samples.low >>> 0, d.samples.high >>> 0).toNumber(true);
                    }
                }
                if (d.maskedDelta != null) {
                    if (d.maskedDelta.length) {
                        if (typeof d.maskedDelta === "string")
                            $util.base64.decode(d.maskedDelta, m.maskedDelta = $util.newBuffer($util.base64.length(d.maskedDelta)), 0);
                        else if (d.maskedDelta.length >= 0)
                            m.maskedDelta = d.maskedDelta;
                    }
                }
                if (d.loss != null) {
                    if (!$Object.is($Number(d.loss), 0)) {
                        m.loss = $Number(d.loss);
                    }
                }
                if (d.publicKey != null) {
                    if (d.publicKey.length) {
                        if (typeof d.publicKey === "string")
                            $util.base64.decode(d.publicKey, m.publicKey = $util.newBuffer($util.base64.length(d.publicKey)), 0);
                        else if (d.publicKey.length >= 0)
                            m.publicKey = d.publicKey;
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a FederatedUpdate message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.FederatedUpdate
             * @static
             * @param {edgehive.v1.FederatedUpdate} m FederatedUpdate
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            FederatedUpdate.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.seq = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.seq = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.roundId = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.samples = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.samples = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if (o.bytes === $String)
                        d.maskedDelta = "";
                    else {
                        d.maskedDelta = [];
                        if (o.bytes !== $Array)
                            d.maskedDelta = $util.newBuffer(d.maskedDelta);
                    }
                    d.loss = 0;
                    if (o.bytes === $String)
                        d.publicKey = "";
                    else {
                        d.publicKey = [];
                        if (o.bytes !== $Array)
                            d.publicKey = $util.newBuffer(d.publicKey);
                    }
                }
                if (m.seq != null && $Object.hasOwnProperty.call(m, "seq")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.seq = typeof m.seq === "number" ? $BigInt(m.seq) : $util.Long.fromBits(m.seq.low >>> 0, m.seq.high >>> 0, true).toBigInt();
                    else if (typeof m.seq === "number")
                        d.seq = o.longs === $String ? $String(m.seq) : m.seq;
                    else
                        d.seq = o.longs === $String ? $util.Long.prototype.toString.call(m.seq) : o.longs === $Number ? new $util.LongBits(m.seq.low >>> 0, m.seq.high >>> 0).toNumber(true) : m.seq;
                }
                if (m.roundId != null && $Object.hasOwnProperty.call(m, "roundId")) {
                    d.roundId = m.roundId;
                }
                if (m.samples != null && $Object.hasOwnProperty.call(m, "samples")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.samples = typeof m.samples === "number" ? $BigInt(m.samples) : $util.Long.fromBits(m.samples.low >>> 0, m.samples.high >>> 0, true).toBigInt();
                    else if (typeof m.samples === "number")
                        d.samples = o.longs === $String ? $String(m.samples) : m.samples;
                    else
                        d.samples = o.longs === $String ? $util.Long.prototype.toString.call(m.samples) : o.longs === $Number ? new $util.LongBits(m.samples.low >>> 0, m.samples.high >>> 0).toNumber(true) : m.samples;
                }
                if (m.maskedDelta != null && $Object.hasOwnProperty.call(m, "maskedDelta")) {
                    d.maskedDelta = o.bytes === $String ? $util.base64.encode(m.maskedDelta, 0, m.maskedDelta.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.maskedDelta) : m.maskedDelta;
                }
                if (m.loss != null && $Object.hasOwnProperty.call(m, "loss")) {
                    d.loss = o.json && !$isFinite(m.loss) ? $String(m.loss) : m.loss;
                }
                if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey")) {
                    d.publicKey = o.bytes === $String ? $util.base64.encode(m.publicKey, 0, m.publicKey.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.publicKey) : m.publicKey;
                }
                return d;
            };

            /**
             * Converts this FederatedUpdate to JSON.
             * @function toJSON
             * @memberof edgehive.v1.FederatedUpdate
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            FederatedUpdate.prototype.toJSON = function() {
                return FederatedUpdate.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for FederatedUpdate
             * @function getTypeUrl
             * @memberof edgehive.v1.FederatedUpdate
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            FederatedUpdate.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.FederatedUpdate";
            };

            return FederatedUpdate;
        })();

        v1.DesiredState = (function() {

            /**
             * Properties of a DesiredState.
             * @typedef {Object} edgehive.v1.DesiredState.$Properties
             * @property {number|null} [tsMs] DesiredState tsMs
             * @property {string|null} [bundleId] DesiredState bundleId
             * @property {number|null} [bundleChunks] DesiredState bundleChunks
             * @property {number|null} [bundleBytes] DesiredState bundleBytes
             * @property {string|null} [bundleSha256] DesiredState bundleSha256
             * @property {string|null} [configJson] DesiredState configJson
             * @property {string|null} [model] DesiredState model
             * @property {number|null} [bundleVersion] DesiredState bundleVersion
             * @property {string|null} [deploymentId] DesiredState deploymentId
             * @property {string|null} [shadowBundleId] DesiredState shadowBundleId
             * @property {number|null} [shadowBundleChunks] DesiredState shadowBundleChunks
             * @property {number|null} [shadowBundleBytes] DesiredState shadowBundleBytes
             * @property {string|null} [shadowBundleSha256] DesiredState shadowBundleSha256
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DesiredState.
             * @memberof edgehive.v1
             * @interface IDesiredState
             * @augments edgehive.v1.DesiredState.$Properties
             * @deprecated Use edgehive.v1.DesiredState.$Properties instead.
             */

            /**
             * Shape of a DesiredState.
             * @typedef {edgehive.v1.DesiredState.$Properties} edgehive.v1.DesiredState.$Shape
             */

            /**
             * Constructs a new DesiredState.
             * @memberof edgehive.v1
             * @classdesc Represents a DesiredState.
             * @constructor
             * @param {edgehive.v1.DesiredState.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DesiredState = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * DesiredState tsMs.
             * @member {number} tsMs
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.tsMs = 0;

            /**
             * DesiredState bundleId.
             * @member {string} bundleId
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.bundleId = "";

            /**
             * DesiredState bundleChunks.
             * @member {number} bundleChunks
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.bundleChunks = 0;

            /**
             * DesiredState bundleBytes.
             * @member {number} bundleBytes
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.bundleBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DesiredState bundleSha256.
             * @member {string} bundleSha256
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.bundleSha256 = "";

            /**
             * DesiredState configJson.
             * @member {string} configJson
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.configJson = "";

            /**
             * DesiredState model.
             * @member {string} model
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.model = "";

            /**
             * DesiredState bundleVersion.
             * @member {number} bundleVersion
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.bundleVersion = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DesiredState deploymentId.
             * @member {string} deploymentId
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.deploymentId = "";

            /**
             * DesiredState shadowBundleId.
             * @member {string} shadowBundleId
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.shadowBundleId = "";

            /**
             * DesiredState shadowBundleChunks.
             * @member {number} shadowBundleChunks
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.shadowBundleChunks = 0;

            /**
             * DesiredState shadowBundleBytes.
             * @member {number} shadowBundleBytes
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.shadowBundleBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DesiredState shadowBundleSha256.
             * @member {string} shadowBundleSha256
             * @memberof edgehive.v1.DesiredState
             * @instance
             */
            DesiredState.prototype.shadowBundleSha256 = "";

            /**
             * Creates a new DesiredState instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.DesiredState
             * @static
             * @param {edgehive.v1.DesiredState.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.DesiredState} DesiredState instance
             * @type {{
             *   (properties: edgehive.v1.DesiredState.$Shape): edgehive.v1.DesiredState & edgehive.v1.DesiredState.$Shape;
             *   (properties?: edgehive.v1.DesiredState.$Properties): edgehive.v1.DesiredState;
             * }}
             */
            DesiredState.create = function(properties) {
                return new DesiredState(properties);
            };

            /**
             * Encodes the specified DesiredState message. Does not implicitly {@link edgehive.v1.DesiredState.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.DesiredState
             * @static
             * @param {edgehive.v1.DesiredState.$Properties} m DesiredState message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DesiredState.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs") && !$Object.is(m.tsMs, 0))
                    w.uint32(/* id 1, wireType 1 =*/9).double(m.tsMs);
                if (m.bundleId != null && $Object.hasOwnProperty.call(m, "bundleId") && m.bundleId !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.bundleId);
                if (m.bundleChunks != null && $Object.hasOwnProperty.call(m, "bundleChunks") && m.bundleChunks !== 0)
                    w.uint32(/* id 3, wireType 0 =*/24).uint32(m.bundleChunks);
                if (m.bundleBytes != null && $Object.hasOwnProperty.call(m, "bundleBytes") && (typeof m.bundleBytes === "object" ? m.bundleBytes.low || m.bundleBytes.high : m.bundleBytes !== 0))
                    w.uint32(/* id 4, wireType 0 =*/32).uint64(m.bundleBytes);
                if (m.bundleSha256 != null && $Object.hasOwnProperty.call(m, "bundleSha256") && m.bundleSha256 !== "")
                    w.uint32(/* id 5, wireType 2 =*/42).string(m.bundleSha256);
                if (m.configJson != null && $Object.hasOwnProperty.call(m, "configJson") && m.configJson !== "")
                    w.uint32(/* id 6, wireType 2 =*/50).string(m.configJson);
                if (m.model != null && $Object.hasOwnProperty.call(m, "model") && m.model !== "")
                    w.uint32(/* id 7, wireType 2 =*/58).string(m.model);
                if (m.bundleVersion != null && $Object.hasOwnProperty.call(m, "bundleVersion") && (typeof m.bundleVersion === "object" ? m.bundleVersion.low || m.bundleVersion.high : m.bundleVersion !== 0))
                    w.uint32(/* id 8, wireType 0 =*/64).uint64(m.bundleVersion);
                if (m.deploymentId != null && $Object.hasOwnProperty.call(m, "deploymentId") && m.deploymentId !== "")
                    w.uint32(/* id 9, wireType 2 =*/74).string(m.deploymentId);
                if (m.shadowBundleId != null && $Object.hasOwnProperty.call(m, "shadowBundleId") && m.shadowBundleId !== "")
                    w.uint32(/* id 10, wireType 2 =*/82).string(m.shadowBundleId);
                if (m.shadowBundleChunks != null && $Object.hasOwnProperty.call(m, "shadowBundleChunks") && m.shadowBundleChunks !== 0)
                    w.uint32(/* id 11, wireType 0 =*/88).uint32(m.shadowBundleChunks);
                if (m.shadowBundleBytes != null && $Object.hasOwnProperty.call(m, "shadowBundleBytes") && (typeof m.shadowBundleBytes === "object" ? m.shadowBundleBytes.low || m.shadowBundleBytes.high : m.shadowBundleBytes !== 0))
                    w.uint32(/* id 12, wireType 0 =*/96).uint64(m.shadowBundleBytes);
                if (m.shadowBundleSha256 != null && $Object.hasOwnProperty.call(m, "shadowBundleSha256") && m.shadowBundleSha256 !== "")
                    w.uint32(/* id 13, wireType 2 =*/106).string(m.shadowBundleSha256);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a DesiredState message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.DesiredState
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.DesiredState & edgehive.v1.DesiredState.$Shape} DesiredState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DesiredState.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.DesiredState();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.tsMs = v;
                            else
                                delete m.tsMs;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.bundleId = v;
                            else
                                delete m.bundleId;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.bundleChunks = v;
                            else
                                delete m.bundleChunks;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.bundleBytes = v;
                            else
                                delete m.bundleBytes;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.bundleSha256 = v;
                            else
                                delete m.bundleSha256;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.configJson = v;
                            else
                                delete m.configJson;
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.model = v;
                            else
                                delete m.model;
                            continue;
                        }
                    case 8: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.bundleVersion = v;
                            else
                                delete m.bundleVersion;
                            continue;
                        }
                    case 9: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.deploymentId = v;
                            else
                                delete m.deploymentId;
                            continue;
                        }
                    case 10: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.shadowBundleId = v;
                            else
                                delete m.shadowBundleId;
                            continue;
                        }
                    case 11: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.shadowBundleChunks = v;
                            else
                                delete m.shadowBundleChunks;
                            continue;
                        }
                    case 12: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.shadowBundleBytes = v;
                            else
                                delete m.shadowBundleBytes;
                            continue;
                        }
                    case 13: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.shadowBundleSha256 = v;
                            else
                                delete m.shadowBundleSha256;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a DesiredState message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.DesiredState
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.DesiredState} DesiredState
             */
            DesiredState.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.DesiredState)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.DesiredState: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.DesiredState();
                if (d.tsMs != null) {
                    if (!$Object.is($Number(d.tsMs), 0)) {
                        m.tsMs = $Number(d.tsMs);
                    }
                }
                if (d.bundleId != null) {
                    if (typeof d.bundleId !== "string" || d.bundleId.length) {
                        m.bundleId = $String(d.bundleId);
                    }
                }
                if (d.bundleChunks != null) {
                    if ($Number(d.bundleChunks) !== 0) {
                        m.bundleChunks = d.bundleChunks >>> 0;
                    }
                }
                if (d.bundleBytes != null) {
                    if (typeof d.bundleBytes === "object" ? d.bundleBytes.low || d.bundleBytes.high : $Number(d.bundleBytes) !== 0) {
                        if ($util.Long)
                            m.bundleBytes = $util.Long.fromValue(d.bundleBytes, true);
                        else if (typeof d.bundleBytes === "string")
                            m.bundleBytes = $parseInt(d.bundleBytes, 10);
                        else if (typeof d.bundleBytes === "number")
                            m.bundleBytes = d.bundleBytes;
                        else if (typeof d.bundleBytes === "object")
                            m.bundleBytes = new $util.LongBits(d.bundleBytes.low >>> 0, d.bundleBytes.high >>> 0).toNumber(true);
                    }
                }
                if (d.bundleSha256 != null) {
                    if (typeof d.bundleSha256 !== "string" || d.bundleSha256.length) {
                        m.bundleSha256 = $String(d.bundleSha256);
                    }
                }
                if (d.configJson != null) {
                    if (typeof d.configJson !== "string" || d.configJson.length) {
                        m.configJson = $String(d.configJson);
                    }
                }
                if (d.model != null) {
                    if (typeof d.model !== "string" || d.model.length) {
                        m.model = $String(d.model);
                    }
                }
                if (d.bundleVersion != null) {
                    if (typeof d.bundleVersion === "object" ? d.bundleVersion.low || d.bundleVersion.high : $Number(d.bundleVersion) !== 0) {
                        if ($util.Long)
                            m.bundleVersion = $util.Long.fromValue(d.bundleVersion, true);
                        else if (typeof d.bundleVersion === "string")
                            m.bundleVersion = $parseInt(d.bundleVersion, 10);
                        else if (typeof d.bundleVersion === "number")
                            m.bundleVersion = d.bundleVersion;
                        else if (typeof d.bundleVersion === "object")
                            m.bundleVersion = new $util.LongBits(d.bundleVersion.low >>> 0, d.bundleVersion.high >>> 0).toNumber(true);
                    }
                }
                if (d.deploymentId != null) {
                    if (typeof d.deploymentId !== "string" || d.deploymentId.length) {
                        m.deploymentId = $String(d.deploymentId);
                    }
                }
                if (d.shadowBundleId != null) {
                    if (typeof d.shadowBundleId !== "string" || d.shadowBundleId.length) {
                        m.shadowBundleId = $String(d.shadowBundleId);
                    }
                }
                if (d.shadowBundleChunks != null) {
                    if ($Number(d.shadowBundleChunks) !== 0) {
                        m.shadowBundleChunks = d.shadowBundleChunks >>> 0;
                    }
                }
                if (d.shadowBundleBytes != null) {
                    if (typeof d.shadowBundleBytes === "object" ? d.shadowBundleBytes.low || d.shadowBundleBytes.high : $Number(d.shadowBundleBytes) !== 0) {
                        if ($util.Long)
                            m.shadowBundleBytes = $util.Long.fromValue(d.shadowBundleBytes, true);
                        else if (typeof d.shadowBundleBytes === "string")
                            m.shadowBundleBytes = $parseInt(d.shadowBundleBytes, 10);
                        else if (typeof d.shadowBundleBytes === "number")
                            m.shadowBundleBytes = d.shadowBundleBytes;
                        else if (typeof d.shadowBundleBytes === "object")
                            m.shadowBundleBytes = new $util.LongBits(d.shadowBundleBytes.low >>> 0, d.shadowBundleBytes.high >>> 0).toNumber(true);
                    }
                }
                if (d.shadowBundleSha256 != null) {
                    if (typeof d.shadowBundleSha256 !== "string" || d.shadowBundleSha256.length) {
                        m.shadowBundleSha256 = $String(d.shadowBundleSha256);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a DesiredState message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.DesiredState
             * @static
             * @param {edgehive.v1.DesiredState} m DesiredState
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            DesiredState.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.tsMs = 0;
                    d.bundleId = "";
                    d.bundleChunks = 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.bundleBytes = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.bundleBytes = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.bundleSha256 = "";
                    d.configJson = "";
                    d.model = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.bundleVersion = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.bundleVersion = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.deploymentId = "";
                    d.shadowBundleId = "";
                    d.shadowBundleChunks = 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.shadowBundleBytes = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.shadowBundleBytes = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    d.shadowBundleSha256 = "";
                }
                if (m.tsMs != null && $Object.hasOwnProperty.call(m, "tsMs")) {
                    d.tsMs = o.json && !$isFinite(m.tsMs) ? $String(m.tsMs) : m.tsMs;
                }
                if (m.bundleId != null && $Object.hasOwnProperty.call(m, "bundleId")) {
                    d.bundleId = m.bundleId;
                }
                if (m.bundleChunks != null && $Object.hasOwnProperty.call(m, "bundleChunks")) {
                    d.bundleChunks = m.bundleChunks;
                }
                if (m.bundleBytes != null && $Object.hasOwnProperty.call(m, "bundleBytes")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.bundleBytes = typeof m.bundleBytes === "number" ? $BigInt(m.bundleBytes) : $util.Long.fromBits(m.bundleBytes.low >>> 0, m.bundleBytes.high >>> 0, true).toBigInt();
                    else if (typeof m.bundleBytes === "number")
                        d.bundleBytes = o.longs === $String ? $String(m.bundleBytes) : m.bundleBytes;
                    else
                        d.bundleBytes = o.longs === $String ? $util.Long.prototype.toString.call(m.bundleBytes) : o.longs === $Number ? new $util.LongBits(m.bundleBytes.low >>> 0, m.bundleBytes.high >>> 0).toNumber(true) : m.bundleBytes;
                }
                if (m.bundleSha256 != null && $Object.hasOwnProperty.call(m, "bundleSha256")) {
                    d.bundleSha256 = m.bundleSha256;
                }
                if (m.configJson != null && $Object.hasOwnProperty.call(m, "configJson")) {
                    d.configJson = m.configJson;
                }
                if (m.model != null && $Object.hasOwnProperty.call(m, "model")) {
                    d.model = m.model;
                }
                if (m.bundleVersion != null && $Object.hasOwnProperty.call(m, "bundleVersion")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.bundleVersion = typeof m.bundleVersion === "number" ? $BigInt(m.bundleVersion) : $util.Long.fromBits(m.bundleVersion.low >>> 0, m.bundleVersion.high >>> 0, true).toBigInt();
                    else if (typeof m.bundleVersion === "number")
                        d.bundleVersion = o.longs === $String ? $String(m.bundleVersion) : m.bundleVersion;
                    else
                        d.bundleVersion = o.longs === $String ? $util.Long.prototype.toString.call(m.bundleVersion) : o.longs === $Number ? new $util.LongBits(m.bundleVersion.low >>> 0, m.bundleVersion.high >>> 0).toNumber(true) : m.bundleVersion;
                }
                if (m.deploymentId != null && $Object.hasOwnProperty.call(m, "deploymentId")) {
                    d.deploymentId = m.deploymentId;
                }
                if (m.shadowBundleId != null && $Object.hasOwnProperty.call(m, "shadowBundleId")) {
                    d.shadowBundleId = m.shadowBundleId;
                }
                if (m.shadowBundleChunks != null && $Object.hasOwnProperty.call(m, "shadowBundleChunks")) {
                    d.shadowBundleChunks = m.shadowBundleChunks;
                }
                if (m.shadowBundleBytes != null && $Object.hasOwnProperty.call(m, "shadowBundleBytes")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.shadowBundleBytes = typeof m.shadowBundleBytes === "number" ? $BigInt(m.shadowBundleBytes) : $util.Long.fromBits(m.shadowBundleBytes.low >>> 0, m.shadowBundleBytes.high >>> 0, true).toBigInt();
                    else if (typeof m.shadowBundleBytes === "number")
                        d.shadowBundleBytes = o.longs === $String ? $String(m.shadowBundleBytes) : m.shadowBundleBytes;
                    else
                        d.shadowBundleBytes = o.longs === $String ? $util.Long.prototype.toString.call(m.shadowBundleBytes) : o.longs === $Number ? new $util.LongBits(m.shadowBundleBytes.low >>> 0, m.shadowBundleBytes.high >>> 0).toNumber(true) : m.shadowBundleBytes;
                }
                if (m.shadowBundleSha256 != null && $Object.hasOwnProperty.call(m, "shadowBundleSha256")) {
                    d.shadowBundleSha256 = m.shadowBundleSha256;
                }
                return d;
            };

            /**
             * Converts this DesiredState to JSON.
             * @function toJSON
             * @memberof edgehive.v1.DesiredState
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            DesiredState.prototype.toJSON = function() {
                return DesiredState.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for DesiredState
             * @function getTypeUrl
             * @memberof edgehive.v1.DesiredState
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            DesiredState.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.DesiredState";
            };

            return DesiredState;
        })();

        v1.Ack = (function() {

            /**
             * Properties of an Ack.
             * @typedef {Object} edgehive.v1.Ack.$Properties
             * @property {string|null} [stream] Ack stream
             * @property {number|null} [seqFrom] Ack seqFrom
             * @property {number|null} [seqTo] Ack seqTo
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Ack.
             * @memberof edgehive.v1
             * @interface IAck
             * @augments edgehive.v1.Ack.$Properties
             * @deprecated Use edgehive.v1.Ack.$Properties instead.
             */

            /**
             * Shape of an Ack.
             * @typedef {edgehive.v1.Ack.$Properties} edgehive.v1.Ack.$Shape
             */

            /**
             * Constructs a new Ack.
             * @memberof edgehive.v1
             * @classdesc Represents an Ack.
             * @constructor
             * @param {edgehive.v1.Ack.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Ack = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Ack stream.
             * @member {string} stream
             * @memberof edgehive.v1.Ack
             * @instance
             */
            Ack.prototype.stream = "";

            /**
             * Ack seqFrom.
             * @member {number} seqFrom
             * @memberof edgehive.v1.Ack
             * @instance
             */
            Ack.prototype.seqFrom = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Ack seqTo.
             * @member {number} seqTo
             * @memberof edgehive.v1.Ack
             * @instance
             */
            Ack.prototype.seqTo = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Ack instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.Ack
             * @static
             * @param {edgehive.v1.Ack.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.Ack} Ack instance
             * @type {{
             *   (properties: edgehive.v1.Ack.$Shape): edgehive.v1.Ack & edgehive.v1.Ack.$Shape;
             *   (properties?: edgehive.v1.Ack.$Properties): edgehive.v1.Ack;
             * }}
             */
            Ack.create = function(properties) {
                return new Ack(properties);
            };

            /**
             * Encodes the specified Ack message. Does not implicitly {@link edgehive.v1.Ack.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.Ack
             * @static
             * @param {edgehive.v1.Ack.$Properties} m Ack message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Ack.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.stream != null && $Object.hasOwnProperty.call(m, "stream") && m.stream !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.stream);
                if (m.seqFrom != null && $Object.hasOwnProperty.call(m, "seqFrom") && (typeof m.seqFrom === "object" ? m.seqFrom.low || m.seqFrom.high : m.seqFrom !== 0))
                    w.uint32(/* id 2, wireType 0 =*/16).uint64(m.seqFrom);
                if (m.seqTo != null && $Object.hasOwnProperty.call(m, "seqTo") && (typeof m.seqTo === "object" ? m.seqTo.low || m.seqTo.high : m.seqTo !== 0))
                    w.uint32(/* id 3, wireType 0 =*/24).uint64(m.seqTo);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes an Ack message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.Ack
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.Ack & edgehive.v1.Ack.$Shape} Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Ack.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.Ack();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.stream = v;
                            else
                                delete m.stream;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.seqFrom = v;
                            else
                                delete m.seqFrom;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.seqTo = v;
                            else
                                delete m.seqTo;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates an Ack message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.Ack
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.Ack} Ack
             */
            Ack.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.Ack)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.Ack: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.Ack();
                if (d.stream != null) {
                    if (typeof d.stream !== "string" || d.stream.length) {
                        m.stream = $String(d.stream);
                    }
                }
                if (d.seqFrom != null) {
                    if (typeof d.seqFrom === "object" ? d.seqFrom.low || d.seqFrom.high : $Number(d.seqFrom) !== 0) {
                        if ($util.Long)
                            m.seqFrom = $util.Long.fromValue(d.seqFrom, true);
                        else if (typeof d.seqFrom === "string")
                            m.seqFrom = $parseInt(d.seqFrom, 10);
                        else if (typeof d.seqFrom === "number")
                            m.seqFrom = d.seqFrom;
                        else if (typeof d.seqFrom === "object")
                            m.seqFrom = new $util.LongBits(d.seqFrom.low >>> 0, d.seqFrom.high >>> 0).toNumber(true);
                    }
                }
                if (d.seqTo != null) {
                    if (typeof d.seqTo === "object" ? d.seqTo.low || d.seqTo.high : $Number(d.seqTo) !== 0) {
                        if ($util.Long)
                            m.seqTo = $util.Long.fromValue(d.seqTo, true);
                        else if (typeof d.seqTo === "string")
                            m.seqTo = $parseInt(d.seqTo, 10);
                        else if (typeof d.seqTo === "number")
                            m.seqTo = d.seqTo;
                        else if (typeof d.seqTo === "object")
                            m.seqTo = new $util.LongBits(d.seqTo.low >>> 0, d.seqTo.high >>> 0).toNumber(true);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from an Ack message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.Ack
             * @static
             * @param {edgehive.v1.Ack} m Ack
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Ack.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.stream = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.seqFrom = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.seqFrom = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.seqTo = o.longs === $String ? n.toString() : o.longs === $Number ? n.toNumber() : typeof $BigInt !== "undefined" && o.longs === $BigInt ? n.toBigInt() : n;
                    } else
                        d.seqTo = o.longs === $String ? "0" : typeof $BigInt !== "undefined" && o.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (m.stream != null && $Object.hasOwnProperty.call(m, "stream")) {
                    d.stream = m.stream;
                }
                if (m.seqFrom != null && $Object.hasOwnProperty.call(m, "seqFrom")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.seqFrom = typeof m.seqFrom === "number" ? $BigInt(m.seqFrom) : $util.Long.fromBits(m.seqFrom.low >>> 0, m.seqFrom.high >>> 0, true).toBigInt();
                    else if (typeof m.seqFrom === "number")
                        d.seqFrom = o.longs === $String ? $String(m.seqFrom) : m.seqFrom;
                    else
                        d.seqFrom = o.longs === $String ? $util.Long.prototype.toString.call(m.seqFrom) : o.longs === $Number ? new $util.LongBits(m.seqFrom.low >>> 0, m.seqFrom.high >>> 0).toNumber(true) : m.seqFrom;
                }
                if (m.seqTo != null && $Object.hasOwnProperty.call(m, "seqTo")) {
                    if (typeof $BigInt !== "undefined" && o.longs === $BigInt)
                        d.seqTo = typeof m.seqTo === "number" ? $BigInt(m.seqTo) : $util.Long.fromBits(m.seqTo.low >>> 0, m.seqTo.high >>> 0, true).toBigInt();
                    else if (typeof m.seqTo === "number")
                        d.seqTo = o.longs === $String ? $String(m.seqTo) : m.seqTo;
                    else
                        d.seqTo = o.longs === $String ? $util.Long.prototype.toString.call(m.seqTo) : o.longs === $Number ? new $util.LongBits(m.seqTo.low >>> 0, m.seqTo.high >>> 0).toNumber(true) : m.seqTo;
                }
                return d;
            };

            /**
             * Converts this Ack to JSON.
             * @function toJSON
             * @memberof edgehive.v1.Ack
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Ack.prototype.toJSON = function() {
                return Ack.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Ack
             * @function getTypeUrl
             * @memberof edgehive.v1.Ack
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Ack.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.Ack";
            };

            return Ack;
        })();

        v1.BundleChunk = (function() {

            /**
             * Properties of a BundleChunk.
             * @typedef {Object} edgehive.v1.BundleChunk.$Properties
             * @property {string|null} [bundleId] BundleChunk bundleId
             * @property {number|null} [index] BundleChunk index
             * @property {number|null} [total] BundleChunk total
             * @property {Uint8Array|null} [data] BundleChunk data
             * @property {Uint8Array|null} [sha256] BundleChunk sha256
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a BundleChunk.
             * @memberof edgehive.v1
             * @interface IBundleChunk
             * @augments edgehive.v1.BundleChunk.$Properties
             * @deprecated Use edgehive.v1.BundleChunk.$Properties instead.
             */

            /**
             * Shape of a BundleChunk.
             * @typedef {edgehive.v1.BundleChunk.$Properties} edgehive.v1.BundleChunk.$Shape
             */

            /**
             * Constructs a new BundleChunk.
             * @memberof edgehive.v1
             * @classdesc Represents a BundleChunk.
             * @constructor
             * @param {edgehive.v1.BundleChunk.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const BundleChunk = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * BundleChunk bundleId.
             * @member {string} bundleId
             * @memberof edgehive.v1.BundleChunk
             * @instance
             */
            BundleChunk.prototype.bundleId = "";

            /**
             * BundleChunk index.
             * @member {number} index
             * @memberof edgehive.v1.BundleChunk
             * @instance
             */
            BundleChunk.prototype.index = 0;

            /**
             * BundleChunk total.
             * @member {number} total
             * @memberof edgehive.v1.BundleChunk
             * @instance
             */
            BundleChunk.prototype.total = 0;

            /**
             * BundleChunk data.
             * @member {Uint8Array} data
             * @memberof edgehive.v1.BundleChunk
             * @instance
             */
            BundleChunk.prototype.data = $util.newBuffer([]);

            /**
             * BundleChunk sha256.
             * @member {Uint8Array} sha256
             * @memberof edgehive.v1.BundleChunk
             * @instance
             */
            BundleChunk.prototype.sha256 = $util.newBuffer([]);

            /**
             * Creates a new BundleChunk instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.BundleChunk
             * @static
             * @param {edgehive.v1.BundleChunk.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.BundleChunk} BundleChunk instance
             * @type {{
             *   (properties: edgehive.v1.BundleChunk.$Shape): edgehive.v1.BundleChunk & edgehive.v1.BundleChunk.$Shape;
             *   (properties?: edgehive.v1.BundleChunk.$Properties): edgehive.v1.BundleChunk;
             * }}
             */
            BundleChunk.create = function(properties) {
                return new BundleChunk(properties);
            };

            /**
             * Encodes the specified BundleChunk message. Does not implicitly {@link edgehive.v1.BundleChunk.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.BundleChunk
             * @static
             * @param {edgehive.v1.BundleChunk.$Properties} m BundleChunk message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            BundleChunk.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.bundleId != null && $Object.hasOwnProperty.call(m, "bundleId") && m.bundleId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.bundleId);
                if (m.index != null && $Object.hasOwnProperty.call(m, "index") && m.index !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).uint32(m.index);
                if (m.total != null && $Object.hasOwnProperty.call(m, "total") && m.total !== 0)
                    w.uint32(/* id 3, wireType 0 =*/24).uint32(m.total);
                if (m.data != null && $Object.hasOwnProperty.call(m, "data") && m.data.length)
                    w.uint32(/* id 4, wireType 2 =*/34).bytes(m.data);
                if (m.sha256 != null && $Object.hasOwnProperty.call(m, "sha256") && m.sha256.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.sha256);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a BundleChunk message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.BundleChunk
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.BundleChunk & edgehive.v1.BundleChunk.$Shape} BundleChunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            BundleChunk.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.BundleChunk();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.bundleId = v;
                            else
                                delete m.bundleId;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.index = v;
                            else
                                delete m.index;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.total = v;
                            else
                                delete m.total;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.data = v;
                            else
                                delete m.data;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.sha256 = v;
                            else
                                delete m.sha256;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a BundleChunk message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.BundleChunk
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.BundleChunk} BundleChunk
             */
            BundleChunk.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.BundleChunk)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.BundleChunk: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.BundleChunk();
                if (d.bundleId != null) {
                    if (typeof d.bundleId !== "string" || d.bundleId.length) {
                        m.bundleId = $String(d.bundleId);
                    }
                }
                if (d.index != null) {
                    if ($Number(d.index) !== 0) {
                        m.index = d.index >>> 0;
                    }
                }
                if (d.total != null) {
                    if ($Number(d.total) !== 0) {
                        m.total = d.total >>> 0;
                    }
                }
                if (d.data != null) {
                    if (d.data.length) {
                        if (typeof d.data === "string")
                            $util.base64.decode(d.data, m.data = $util.newBuffer($util.base64.length(d.data)), 0);
                        else if (d.data.length >= 0)
                            m.data = d.data;
                    }
                }
                if (d.sha256 != null) {
                    if (d.sha256.length) {
                        if (typeof d.sha256 === "string")
                            $util.base64.decode(d.sha256, m.sha256 = $util.newBuffer($util.base64.length(d.sha256)), 0);
                        else if (d.sha256.length >= 0)
                            m.sha256 = d.sha256;
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a BundleChunk message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.BundleChunk
             * @static
             * @param {edgehive.v1.BundleChunk} m BundleChunk
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            BundleChunk.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.bundleId = "";
                    d.index = 0;
                    d.total = 0;
                    if (o.bytes === $String)
                        d.data = "";
                    else {
                        d.data = [];
                        if (o.bytes !== $Array)
                            d.data = $util.newBuffer(d.data);
                    }
                    if (o.bytes === $String)
                        d.sha256 = "";
                    else {
                        d.sha256 = [];
                        if (o.bytes !== $Array)
                            d.sha256 = $util.newBuffer(d.sha256);
                    }
                }
                if (m.bundleId != null && $Object.hasOwnProperty.call(m, "bundleId")) {
                    d.bundleId = m.bundleId;
                }
                if (m.index != null && $Object.hasOwnProperty.call(m, "index")) {
                    d.index = m.index;
                }
                if (m.total != null && $Object.hasOwnProperty.call(m, "total")) {
                    d.total = m.total;
                }
                if (m.data != null && $Object.hasOwnProperty.call(m, "data")) {
                    d.data = o.bytes === $String ? $util.base64.encode(m.data, 0, m.data.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.data) : m.data;
                }
                if (m.sha256 != null && $Object.hasOwnProperty.call(m, "sha256")) {
                    d.sha256 = o.bytes === $String ? $util.base64.encode(m.sha256, 0, m.sha256.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.sha256) : m.sha256;
                }
                return d;
            };

            /**
             * Converts this BundleChunk to JSON.
             * @function toJSON
             * @memberof edgehive.v1.BundleChunk
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            BundleChunk.prototype.toJSON = function() {
                return BundleChunk.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for BundleChunk
             * @function getTypeUrl
             * @memberof edgehive.v1.BundleChunk
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            BundleChunk.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.BundleChunk";
            };

            return BundleChunk;
        })();

        v1.RoundAnnouncement = (function() {

            /**
             * Properties of a RoundAnnouncement.
             * @typedef {Object} edgehive.v1.RoundAnnouncement.$Properties
             * @property {string|null} [roundId] RoundAnnouncement roundId
             * @property {string|null} [model] RoundAnnouncement model
             * @property {string|null} [weightsBundleId] RoundAnnouncement weightsBundleId
             * @property {number|null} [localEpochs] RoundAnnouncement localEpochs
             * @property {number|null} [learningRate] RoundAnnouncement learningRate
             * @property {number|null} [clipNorm] RoundAnnouncement clipNorm
             * @property {number|null} [noiseMultiplier] RoundAnnouncement noiseMultiplier
             * @property {number|null} [minClients] RoundAnnouncement minClients
             * @property {number|null} [deadlineMs] RoundAnnouncement deadlineMs
             * @property {Array.<string>|null} [selectedDevices] RoundAnnouncement selectedDevices
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RoundAnnouncement.
             * @memberof edgehive.v1
             * @interface IRoundAnnouncement
             * @augments edgehive.v1.RoundAnnouncement.$Properties
             * @deprecated Use edgehive.v1.RoundAnnouncement.$Properties instead.
             */

            /**
             * Shape of a RoundAnnouncement.
             * @typedef {edgehive.v1.RoundAnnouncement.$Properties} edgehive.v1.RoundAnnouncement.$Shape
             */

            /**
             * Constructs a new RoundAnnouncement.
             * @memberof edgehive.v1
             * @classdesc Represents a RoundAnnouncement.
             * @constructor
             * @param {edgehive.v1.RoundAnnouncement.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RoundAnnouncement = function (p) {
                this.selectedDevices = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * RoundAnnouncement roundId.
             * @member {string} roundId
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             */
            RoundAnnouncement.prototype.roundId = "";

            /**
             * RoundAnnouncement model.
             * @member {string} model
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             */
            RoundAnnouncement.prototype.model = "";

            /**
             * RoundAnnouncement weightsBundleId.
             * @member {string} weightsBundleId
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             */
            RoundAnnouncement.prototype.weightsBundleId = "";

            /**
             * RoundAnnouncement localEpochs.
             * @member {number} localEpochs
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             */
            RoundAnnouncement.prototype.localEpochs = 0;

            /**
             * RoundAnnouncement learningRate.
             * @member {number} learningRate
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             */
            RoundAnnouncement.prototype.learningRate = 0;

            /**
             * RoundAnnouncement clipNorm.
             * @member {number} clipNorm
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             */
            RoundAnnouncement.prototype.clipNorm = 0;

            /**
             * RoundAnnouncement noiseMultiplier.
             * @member {number} noiseMultiplier
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             */
            RoundAnnouncement.prototype.noiseMultiplier = 0;

            /**
             * RoundAnnouncement minClients.
             * @member {number} minClients
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             */
            RoundAnnouncement.prototype.minClients = 0;

            /**
             * RoundAnnouncement deadlineMs.
             * @member {number} deadlineMs
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             */
            RoundAnnouncement.prototype.deadlineMs = 0;

            /**
             * RoundAnnouncement selectedDevices.
             * @member {Array.<string>} selectedDevices
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             */
            RoundAnnouncement.prototype.selectedDevices = $util.emptyArray;

            /**
             * Creates a new RoundAnnouncement instance using the specified properties.
             * @function create
             * @memberof edgehive.v1.RoundAnnouncement
             * @static
             * @param {edgehive.v1.RoundAnnouncement.$Properties=} [properties] Properties to set
             * @returns {edgehive.v1.RoundAnnouncement} RoundAnnouncement instance
             * @type {{
             *   (properties: edgehive.v1.RoundAnnouncement.$Shape): edgehive.v1.RoundAnnouncement & edgehive.v1.RoundAnnouncement.$Shape;
             *   (properties?: edgehive.v1.RoundAnnouncement.$Properties): edgehive.v1.RoundAnnouncement;
             * }}
             */
            RoundAnnouncement.create = function(properties) {
                return new RoundAnnouncement(properties);
            };

            /**
             * Encodes the specified RoundAnnouncement message. Does not implicitly {@link edgehive.v1.RoundAnnouncement.verify|verify} messages.
             * @function encode
             * @memberof edgehive.v1.RoundAnnouncement
             * @static
             * @param {edgehive.v1.RoundAnnouncement.$Properties} m RoundAnnouncement message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RoundAnnouncement.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.roundId != null && $Object.hasOwnProperty.call(m, "roundId") && m.roundId !== "")
                    w.uint32(/* id 1, wireType 2 =*/10).string(m.roundId);
                if (m.model != null && $Object.hasOwnProperty.call(m, "model") && m.model !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.model);
                if (m.weightsBundleId != null && $Object.hasOwnProperty.call(m, "weightsBundleId") && m.weightsBundleId !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.weightsBundleId);
                if (m.localEpochs != null && $Object.hasOwnProperty.call(m, "localEpochs") && m.localEpochs !== 0)
                    w.uint32(/* id 4, wireType 0 =*/32).uint32(m.localEpochs);
                if (m.learningRate != null && $Object.hasOwnProperty.call(m, "learningRate") && !$Object.is(m.learningRate, 0))
                    w.uint32(/* id 5, wireType 1 =*/41).double(m.learningRate);
                if (m.clipNorm != null && $Object.hasOwnProperty.call(m, "clipNorm") && !$Object.is(m.clipNorm, 0))
                    w.uint32(/* id 6, wireType 1 =*/49).double(m.clipNorm);
                if (m.noiseMultiplier != null && $Object.hasOwnProperty.call(m, "noiseMultiplier") && !$Object.is(m.noiseMultiplier, 0))
                    w.uint32(/* id 7, wireType 1 =*/57).double(m.noiseMultiplier);
                if (m.minClients != null && $Object.hasOwnProperty.call(m, "minClients") && m.minClients !== 0)
                    w.uint32(/* id 8, wireType 0 =*/64).uint32(m.minClients);
                if (m.deadlineMs != null && $Object.hasOwnProperty.call(m, "deadlineMs") && !$Object.is(m.deadlineMs, 0))
                    w.uint32(/* id 9, wireType 1 =*/73).double(m.deadlineMs);
                if (m.selectedDevices != null && m.selectedDevices.length) {
                    for (var i = 0; i < m.selectedDevices.length; ++i)
                        w.uint32(/* id 10, wireType 2 =*/82).string(m.selectedDevices[i]);
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a RoundAnnouncement message from the specified reader or buffer.
             * @function decode
             * @memberof edgehive.v1.RoundAnnouncement
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {edgehive.v1.RoundAnnouncement & edgehive.v1.RoundAnnouncement.$Shape} RoundAnnouncement
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RoundAnnouncement.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.edgehive.v1.RoundAnnouncement();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.roundId = v;
                            else
                                delete m.roundId;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.model = v;
                            else
                                delete m.model;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.weightsBundleId = v;
                            else
                                delete m.weightsBundleId;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.localEpochs = v;
                            else
                                delete m.localEpochs;
                            continue;
                        }
                    case 5: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.learningRate = v;
                            else
                                delete m.learningRate;
                            continue;
                        }
                    case 6: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.clipNorm = v;
                            else
                                delete m.clipNorm;
                            continue;
                        }
                    case 7: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.noiseMultiplier = v;
                            else
                                delete m.noiseMultiplier;
                            continue;
                        }
                    case 8: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.minClients = v;
                            else
                                delete m.minClients;
                            continue;
                        }
                    case 9: {
                            if (u !== 1)
                                break;
                            if (!$Object.is(v = r.double(), 0))
                                m.deadlineMs = v;
                            else
                                delete m.deadlineMs;
                            continue;
                        }
                    case 10: {
                            if (u !== 2)
                                break;
                            if (!(m.selectedDevices && m.selectedDevices.length))
                                m.selectedDevices = [];
                            m.selectedDevices.push(r.stringVerify());
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            /**
             * Creates a RoundAnnouncement message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof edgehive.v1.RoundAnnouncement
             * @static
             * @param {Object.<string,*>} d Plain object
             * @returns {edgehive.v1.RoundAnnouncement} RoundAnnouncement
             */
            RoundAnnouncement.fromObject = function (d, q) {
                if (d instanceof $root.edgehive.v1.RoundAnnouncement)
                    return d;
                if (!$util.isObject(d))
                    throw $TypeError(".edgehive.v1.RoundAnnouncement: object expected");
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var m = new $root.edgehive.v1.RoundAnnouncement();
                if (d.roundId != null) {
                    if (typeof d.roundId !== "string" || d.roundId.length) {
                        m.roundId = $String(d.roundId);
                    }
                }
                if (d.model != null) {
                    if (typeof d.model !== "string" || d.model.length) {
                        m.model = $String(d.model);
                    }
                }
                if (d.weightsBundleId != null) {
                    if (typeof d.weightsBundleId !== "string" || d.weightsBundleId.length) {
                        m.weightsBundleId = $String(d.weightsBundleId);
                    }
                }
                if (d.localEpochs != null) {
                    if ($Number(d.localEpochs) !== 0) {
                        m.localEpochs = d.localEpochs >>> 0;
                    }
                }
                if (d.learningRate != null) {
                    if (!$Object.is($Number(d.learningRate), 0)) {
                        m.learningRate = $Number(d.learningRate);
                    }
                }
                if (d.clipNorm != null) {
                    if (!$Object.is($Number(d.clipNorm), 0)) {
                        m.clipNorm = $Number(d.clipNorm);
                    }
                }
                if (d.noiseMultiplier != null) {
                    if (!$Object.is($Number(d.noiseMultiplier), 0)) {
                        m.noiseMultiplier = $Number(d.noiseMultiplier);
                    }
                }
                if (d.minClients != null) {
                    if ($Number(d.minClients) !== 0) {
                        m.minClients = d.minClients >>> 0;
                    }
                }
                if (d.deadlineMs != null) {
                    if (!$Object.is($Number(d.deadlineMs), 0)) {
                        m.deadlineMs = $Number(d.deadlineMs);
                    }
                }
                if (d.selectedDevices) {
                    if (!$Array.isArray(d.selectedDevices))
                        throw $TypeError(".edgehive.v1.RoundAnnouncement.selectedDevices: array expected");
                    m.selectedDevices = $Array(d.selectedDevices.length);
                    for (var i = 0; i < d.selectedDevices.length; ++i) {
                        m.selectedDevices[i] = $String(d.selectedDevices[i]);
                    }
                }
                return m;
            };

            /**
             * Creates a plain object from a RoundAnnouncement message. Also converts values to other types if specified.
             * @function toObject
             * @memberof edgehive.v1.RoundAnnouncement
             * @static
             * @param {edgehive.v1.RoundAnnouncement} m RoundAnnouncement
             * @param {$protobuf.IConversionOptions} [o] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            RoundAnnouncement.toObject = function (m, o, q) {
                if (!o)
                    o = {};
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.selectedDevices = [];
                }
                if (o.defaults) {
                    d.roundId = "";
                    d.model = "";
                    d.weightsBundleId = "";
                    d.localEpochs = 0;
                    d.learningRate = 0;
                    d.clipNorm = 0;
                    d.noiseMultiplier = 0;
                    d.minClients = 0;
                    d.deadlineMs = 0;
                }
                if (m.roundId != null && $Object.hasOwnProperty.call(m, "roundId")) {
                    d.roundId = m.roundId;
                }
                if (m.model != null && $Object.hasOwnProperty.call(m, "model")) {
                    d.model = m.model;
                }
                if (m.weightsBundleId != null && $Object.hasOwnProperty.call(m, "weightsBundleId")) {
                    d.weightsBundleId = m.weightsBundleId;
                }
                if (m.localEpochs != null && $Object.hasOwnProperty.call(m, "localEpochs")) {
                    d.localEpochs = m.localEpochs;
                }
                if (m.learningRate != null && $Object.hasOwnProperty.call(m, "learningRate")) {
                    d.learningRate = o.json && !$isFinite(m.learningRate) ? $String(m.learningRate) : m.learningRate;
                }
                if (m.clipNorm != null && $Object.hasOwnProperty.call(m, "clipNorm")) {
                    d.clipNorm = o.json && !$isFinite(m.clipNorm) ? $String(m.clipNorm) : m.clipNorm;
                }
                if (m.noiseMultiplier != null && $Object.hasOwnProperty.call(m, "noiseMultiplier")) {
                    d.noiseMultiplier = o.json && !$isFinite(m.noiseMultiplier) ? $String(m.noiseMultiplier) : m.noiseMultiplier;
                }
                if (m.minClients != null && $Object.hasOwnProperty.call(m, "minClients")) {
                    d.minClients = m.minClients;
                }
                if (m.deadlineMs != null && $Object.hasOwnProperty.call(m, "deadlineMs")) {
                    d.deadlineMs = o.json && !$isFinite(m.deadlineMs) ? $String(m.deadlineMs) : m.deadlineMs;
                }
                if (m.selectedDevices && m.selectedDevices.length) {
                    d.selectedDevices = $Array(m.selectedDevices.length);
                    for (var j = 0; j < m.selectedDevices.length; ++j) {
                        d.selectedDevices[j] = m.selectedDevices[j];
                    }
                }
                return d;
            };

            /**
             * Converts this RoundAnnouncement to JSON.
             * @function toJSON
             * @memberof edgehive.v1.RoundAnnouncement
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            RoundAnnouncement.prototype.toJSON = function() {
                return RoundAnnouncement.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for RoundAnnouncement
             * @function getTypeUrl
             * @memberof edgehive.v1.RoundAnnouncement
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            RoundAnnouncement.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/edgehive.v1.RoundAnnouncement";
            };

            return RoundAnnouncement;
        })();

        return v1;
    })();

    return edgehive;
})();

export {
  $root as default
};
