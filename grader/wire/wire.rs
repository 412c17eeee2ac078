//! The wire between a judge and an exercise server: the one contract across the sandbox.
//!
//! Grading runs two processes per test (see `grader/src/judge.rs`):
//!
//! - the **judge**, trusted, built from the solutions' signatures and the tests alone: it
//!   runs the test, and each call of an exercise function becomes a `CALL` frame;
//! - the **exercise server**, built from the student's file and a generated dispatch table,
//!   with no test code, no expected value and no secret in it, running in the sandbox: it
//!   decodes the arguments, calls the student's function and answers `RETURN`, `PANIC`,
//!   or `CALLBACK` (the function called a closure it was given, which lives in the judge).
//!
//! The judge reads the server's stdout and writes its stdin. A frame is
//! `MAGIC · tag (1 byte) · length (u32 LE) · body`; the reader skips everything before the
//! next `MAGIC`, so a student's `println!` only costs the bytes it printed. Whatever the
//! server sends, it can only make a call return a value, panic or end, which its code
//! can do anyway: the verdict is the judge's.
//!
//! Values are encoded by [`Put`] and [`Get`]: little-endian numbers (an `f64` keeps its
//! bits, NaN and infinities included), `u64` lengths, no self-description. A decoder never
//! trusts a length: it allocates only what the bytes present can fill.
//!
//! This file is copied into every generated judge and server crate as `src/wire.rs`;
//! `gmcourse_error.rs` beside it adds `gmcourse::Error`. It uses std only.

use std::io::{BufRead, Write};

/// Start of every frame.
pub const MAGIC: [u8; 8] = *b"\0gmwire1";
/// Largest frame body accepted, in bytes.
pub const MAX_FRAME: usize = 64 << 20;

/// Judge → server: `(function name, encoded arguments)`.
pub const CALL: u8 = 1;
/// Judge → server: the encoded value a callback returned.
pub const CALLBACK_RETURN: u8 = 2;
/// Server → judge: the encoded return value.
pub const RETURN: u8 = 11;
/// Server → judge: the student's code panicked; the body is its message.
pub const PANIC: u8 = 12;
/// Server → judge: `(parameter index, encoded arguments)` of a callback call.
pub const CALLBACK: u8 = 13;
/// Server → judge: the server has no function of that name.
pub const UNKNOWN: u8 = 14;

/// A value that can be written to the wire.
pub trait Put {
    fn put(&self, out: &mut Vec<u8>);
}

/// A value that can be read back from the wire; `None` if the bytes are not one.
pub trait Get: Sized {
    fn get(input: &mut &[u8]) -> Option<Self>;
}

/// `value` encoded.
pub fn encode<T: Put + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    value.put(&mut out);
    out
}

/// The value `bytes` encode, if they encode exactly one `T`.
pub fn decode<T: Get>(mut bytes: &[u8]) -> Option<T> {
    let v = T::get(&mut bytes)?;
    bytes.is_empty().then_some(v)
}

fn take<'a>(input: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, tail) = input.split_at_checked(n)?;
    *input = tail;
    Some(head)
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl Put for $t {
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
        impl Get for $t {
            fn get(input: &mut &[u8]) -> Option<Self> {
                let b = take(input, std::mem::size_of::<$t>())?;
                Some(<$t>::from_le_bytes(b.try_into().ok()?))
            }
        }
    )*};
}
numbers!(u8, u16, u32, u64, i8, i16, i32, i64, f32, f64);

impl Put for usize {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u64).put(out)
    }
}
impl Get for usize {
    fn get(input: &mut &[u8]) -> Option<Self> {
        usize::try_from(u64::get(input)?).ok()
    }
}
impl Put for isize {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as i64).put(out)
    }
}
impl Get for isize {
    fn get(input: &mut &[u8]) -> Option<Self> {
        isize::try_from(i64::get(input)?).ok()
    }
}
impl Put for bool {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u8).put(out)
    }
}
impl Get for bool {
    fn get(input: &mut &[u8]) -> Option<Self> {
        match u8::get(input)? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}
impl Put for char {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u32).put(out)
    }
}
impl Get for char {
    fn get(input: &mut &[u8]) -> Option<Self> {
        char::from_u32(u32::get(input)?)
    }
}

impl<T: Put + ?Sized> Put for &T {
    fn put(&self, out: &mut Vec<u8>) {
        (**self).put(out)
    }
}
impl<T: Put + ?Sized> Put for Box<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (**self).put(out)
    }
}
impl<T: Get> Get for Box<T> {
    fn get(input: &mut &[u8]) -> Option<Self> {
        T::get(input).map(Box::new)
    }
}

impl Put for str {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        out.extend_from_slice(self.as_bytes());
    }
}
impl Put for String {
    fn put(&self, out: &mut Vec<u8>) {
        self.as_str().put(out)
    }
}
impl Get for String {
    fn get(input: &mut &[u8]) -> Option<Self> {
        let n = usize::get(input)?;
        String::from_utf8(take(input, n)?.to_vec()).ok()
    }
}

impl<T: Put> Put for [T] {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        for x in self {
            x.put(out);
        }
    }
}
impl<T: Put> Put for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.as_slice().put(out)
    }
}
impl<T: Get> Get for Vec<T> {
    fn get(input: &mut &[u8]) -> Option<Self> {
        let n = usize::get(input)?;
        // every element takes at least one byte, except zero-sized ones: never trust `n`
        let mut v = Vec::with_capacity(n.min(input.len()));
        for _ in 0..n {
            v.push(T::get(input)?);
        }
        Some(v)
    }
}

impl<T: Put, const N: usize> Put for [T; N] {
    fn put(&self, out: &mut Vec<u8>) {
        for x in self {
            x.put(out);
        }
    }
}
impl<T: Get, const N: usize> Get for [T; N] {
    fn get(input: &mut &[u8]) -> Option<Self> {
        let mut v = Vec::with_capacity(N);
        for _ in 0..N {
            v.push(T::get(input)?);
        }
        v.try_into().ok()
    }
}

impl<T: Put> Put for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => 0u8.put(out),
            Some(x) => {
                1u8.put(out);
                x.put(out)
            }
        }
    }
}
impl<T: Get> Get for Option<T> {
    fn get(input: &mut &[u8]) -> Option<Self> {
        match u8::get(input)? {
            0 => Some(None),
            1 => Some(Some(T::get(input)?)),
            _ => None,
        }
    }
}

impl<T: Put, E: Put> Put for Result<T, E> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Ok(x) => {
                0u8.put(out);
                x.put(out)
            }
            Err(e) => {
                1u8.put(out);
                e.put(out)
            }
        }
    }
}
impl<T: Get, E: Get> Get for Result<T, E> {
    fn get(input: &mut &[u8]) -> Option<Self> {
        match u8::get(input)? {
            0 => Some(Ok(T::get(input)?)),
            1 => Some(Err(E::get(input)?)),
            _ => None,
        }
    }
}

macro_rules! tuples {
    ($(($($n:ident),*)),*) => {$(
        #[allow(non_snake_case, unused_variables)]
        impl<$($n: Put),*> Put for ($($n,)*) {
            fn put(&self, out: &mut Vec<u8>) {
                let ($($n,)*) = self;
                $($n.put(out);)*
            }
        }
        #[allow(non_snake_case, unused_variables)]
        impl<$($n: Get),*> Get for ($($n,)*) {
            fn get(input: &mut &[u8]) -> Option<Self> {
                Some(($($n::get(input)?,)*))
            }
        }
    )*};
}
tuples!(
    (),
    (A),
    (A, B),
    (A, B, C),
    (A, B, C, D),
    (A, B, C, D, E),
    (A, B, C, D, E, F),
    (A, B, C, D, E, F, G),
    (A, B, C, D, E, F, G, H)
);

/// Writes one frame and flushes it.
pub fn write_frame(w: &mut dyn Write, tag: u8, body: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(body.len())
        .ok()
        .filter(|&n| n as usize <= MAX_FRAME)
        .ok_or_else(|| std::io::Error::other("frame too large"))?;
    let mut head = Vec::with_capacity(13);
    head.extend_from_slice(&MAGIC);
    head.push(tag);
    head.extend_from_slice(&len.to_le_bytes());
    w.write_all(&head)?;
    w.write_all(body)?;
    w.flush()
}

/// Reads the next frame, skipping any bytes before its `MAGIC` (text the student's code
/// printed): `Ok(None)` at the end of the stream, an error for a frame over
/// [`MAX_FRAME`]. Returns the number of bytes skipped as well.
pub fn read_frame(r: &mut dyn BufRead) -> std::io::Result<Option<(u8, Vec<u8>, usize)>> {
    let mut matched = 0usize;
    let mut skipped = 0usize;
    let mut byte = [0u8; 1];
    while matched < MAGIC.len() {
        if r.read(&mut byte)? == 0 {
            return Ok(None);
        }
        if byte[0] == MAGIC[matched] {
            matched += 1;
        } else {
            skipped += matched + usize::from(byte[0] != MAGIC[0]);
            matched = usize::from(byte[0] == MAGIC[0]);
        }
    }
    let mut head = [0u8; 5];
    if r.read_exact(&mut head).is_err() {
        return Ok(None);
    }
    let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]) as usize;
    if len > MAX_FRAME {
        return Err(std::io::Error::other(format!(
            "a frame of {len} bytes (at most {MAX_FRAME})"
        )));
    }
    let mut body = vec![0u8; len];
    if r.read_exact(&mut body).is_err() {
        return Ok(None);
    }
    Ok(Some((head[0], body, skipped)))
}

/// Text of a panic payload.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "the code panicked with a non-text payload".to_string())
}

// ---------------------------------------------------------------- the exercise server

/// What a server's dispatch function gets: the way back to the judge for callbacks.
pub struct Channel(());

impl Channel {
    /// Calls the judge-side closure passed as parameter `index`, with `args`.
    pub fn callback<A: Put, R: Get>(&self, index: u8, args: &A) -> R {
        let mut body = vec![index];
        args.put(&mut body);
        if write_frame(&mut std::io::stdout().lock(), CALLBACK, &body).is_err() {
            std::process::exit(0);
        }
        match read_frame(&mut std::io::stdin().lock()) {
            Ok(Some((CALLBACK_RETURN, b, _))) => match decode(&b) {
                Some(r) => r,
                None => std::process::exit(0),
            },
            // the judge went away or broke the protocol: nothing left to serve
            _ => std::process::exit(0),
        }
    }
}

/// The server's main loop: answers `CALL` frames with `dispatch` until the judge closes
/// the stream. `dispatch` returns `None` for a function it does not have.
pub fn serve(dispatch: fn(&str, &[u8], &Channel) -> Option<Vec<u8>>) {
    std::panic::set_hook(Box::new(|_| {}));
    let chan = Channel(());
    loop {
        let frame = read_frame(&mut std::io::stdin().lock());
        let Ok(Some((CALL, body, _))) = frame else {
            return;
        };
        let Some((name, args)) = decode::<(String, Vec<u8>)>(&body) else {
            return;
        };
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            dispatch(&name, &args, &chan)
        }));
        let (tag, body) = match out {
            Ok(Some(ret)) => (RETURN, ret),
            Ok(None) => (UNKNOWN, encode(&name)),
            Err(payload) => (PANIC, encode(&panic_text(payload.as_ref()))),
        };
        if write_frame(&mut std::io::stdout().lock(), tag, &body).is_err() {
            return;
        }
    }
}

// ---------------------------------------------------------------- the judge

/// Panic payload in the judge: the student's code panicked with this message.
#[derive(Debug)]
pub struct StudentPanic(pub String);

/// Panic payload in the judge: the exercise server broke off.
#[derive(Debug)]
pub enum Fault {
    /// It ended (crashed, was killed, exited) during a call.
    Gone,
    /// It answered with something the protocol does not allow.
    BadReply(String),
}

/// A judge-side closure the server may call back: parameter index, and the function from
/// encoded arguments to the encoded result (`None`: the arguments do not decode).
pub type Callback<'a> = (u8, &'a dyn Fn(&[u8]) -> Option<Vec<u8>>);

/// Calls `function` in the exercise server with the encoded `args`, answering callbacks,
/// and returns its result. Panics with [`StudentPanic`] if the student's code panicked,
/// with [`Fault`] if the server ended or misbehaved.
pub fn call<R: Get>(function: &str, args: &dyn Put, callbacks: &[Callback<'_>]) -> R {
    let body = encode(&(function, encode(args)));
    if write_frame(&mut std::io::stdout().lock(), CALL, &body).is_err() {
        std::panic::panic_any(Fault::Gone);
    }
    loop {
        let frame = read_frame(&mut std::io::stdin().lock());
        match frame {
            Ok(Some((RETURN, b, _))) => {
                return decode(&b).unwrap_or_else(|| {
                    std::panic::panic_any(Fault::BadReply(format!(
                        "`{function}` answered with bytes that are not a {}",
                        std::any::type_name::<R>()
                    )))
                });
            }
            Ok(Some((PANIC, b, _))) => {
                std::panic::panic_any(StudentPanic(decode::<String>(&b).unwrap_or_default()))
            }
            Ok(Some((CALLBACK, b, _))) => {
                let answer = b.split_first().and_then(|(i, args)| {
                    let (_, f) = callbacks.iter().find(|(j, _)| j == i)?;
                    f(args)
                });
                let Some(answer) = answer else {
                    std::panic::panic_any(Fault::BadReply(format!(
                        "`{function}` called back a closure it was not given"
                    )));
                };
                if write_frame(&mut std::io::stdout().lock(), CALLBACK_RETURN, &answer).is_err() {
                    std::panic::panic_any(Fault::Gone);
                }
            }
            Ok(Some((UNKNOWN, _, _))) => std::panic::panic_any(Fault::BadReply(format!(
                "the exercise process has no function `{function}`"
            ))),
            Ok(Some((tag, _, _))) => std::panic::panic_any(Fault::BadReply(format!(
                "`{function}` answered with a frame of unknown kind {tag}"
            ))),
            Ok(None) => std::panic::panic_any(Fault::Gone),
            Err(e) => std::panic::panic_any(Fault::BadReply(e.to_string())),
        }
    }
}

/// The judge's verdict line on its stderr, `VERDICT <kind> <escaped text>`, from the
/// outcome of one test.
pub fn verdict(outcome: &std::thread::Result<()>) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('\n', "\\n");
    match outcome {
        Ok(()) => "VERDICT pass".to_string(),
        Err(p) => {
            if let Some(StudentPanic(m)) = p.downcast_ref::<StudentPanic>() {
                format!("VERDICT panic {}", esc(m))
            } else if let Some(Fault::Gone) = p.downcast_ref::<Fault>() {
                "VERDICT gone".to_string()
            } else if let Some(Fault::BadReply(m)) = p.downcast_ref::<Fault>() {
                format!("VERDICT bad_reply {}", esc(m))
            } else {
                format!("VERDICT fail {}", esc(&panic_text(p.as_ref())))
            }
        }
    }
}
