# zypper: -n (non-interactive), then zypper clean -a.
FROM opensuse/leap:15.6
RUN zypper refresh && zypper install python311
CMD ["python3.11"]
